import { MindbodyError } from '../../core/MindbodyError'
import { staffPermissionNames, type StaffPermission } from '../../core/staffPermissions'
import { canonicalPath } from '../canonicalPath'
import { permissionIndex } from './permissionBits'

/**
 * The calls a staff member may make only with a permission: `'METHOD /path'` (the path below
 * `/public/v{n}`, any version) → the permission it needs, or several, all of them needed.
 *
 * @example
 * const permissions: ProxyPermissions = {
 *   'POST /sale/returnsale': 'RefundSales',
 *   'POST /sale/checkoutshoppingcart': ['MakeSales', 'UseStoredCreditCards'],
 * }
 */
export type ProxyPermissions = Record<string, StaffPermission | readonly StaffPermission[]>

/** The rules: the key of each call (`ruleKey`) → the positions of the permissions it needs. */
export type PermissionRules = Map<string, number[]>

/**
 * A path segment as a server may read it: decoded, without a `;` parameter (`returnsale%3bx`, to a
 * server that decodes before it cuts them), with trailing dots and spaces dropped (as Windows does).
 */
const tidy = (segment: string) => {
  try {
    return decodeURIComponent(segment)
      .split(';')[0]!
      .replace(/[\s.]+$/, '')
  } catch {
    return segment
  }
}

/**
 * The key a call is looked up by, the same for every spelling Mindbody answers alike: the method
 * (`HEAD` as `GET`) and the canonical path in lower case, without `/public/{version}`, each segment
 * tidied. `path` is already canonical: no dot or empty segment, no encoded slash.
 */
export function ruleKey(method: string, path: string): string {
  let rest = path.toLowerCase()
  if (rest.startsWith('/public/')) rest = rest.replace(/^\/public\/[^/]+/, '')
  if (/%|[\s.](?:\/|$)/.test(rest)) rest = rest.split('/').map(tidy).join('/')
  return `${method === 'HEAD' ? 'GET' : method} ${rest}`
}

const METHOD = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/i

/** A rule's key from how the options write it, or a clear error. */
function keyOf(written: string, option: string): string {
  const [, method, path] = METHOD.exec(written.trim()) ?? []
  const canonical = path && !path.includes('?') && canonicalPath(path, '')
  if (!canonical)
    throw new MindbodyError(
      'invalid-input',
      `Invalid ${option}: ${JSON.stringify(written)} is not 'METHOD /path', such as 'POST /sale/returnsale'`,
    )
  return ruleKey(method!.toUpperCase(), canonical)
}

/** The known name `written` is most likely a slip of: one that differs only in case, or is one's start. */
function nearest(written: string) {
  const lower = written.toLowerCase()
  const near = staffPermissionNames.filter((p) => {
    const name = p.toLowerCase()
    return lower.length > 3 && (name.startsWith(lower) || lower.startsWith(name))
  })
  return near.sort((a, b) => Math.abs(a.length - lower.length) - Math.abs(b.length - lower.length))[0]
}

/** The positions of the permissions a rule needs, or a clear error naming the unknown one. */
function needsOf(written: string, value: unknown, option: string): number[] {
  const names: unknown[] = Array.isArray(value) ? value : [value]
  const unknown = names.find((name) => permissionIndex(name) < 0)
  if (!names.length || unknown !== undefined) {
    const near = nearest(String(unknown))
    throw new MindbodyError(
      'invalid-input',
      `Invalid ${option}: ${JSON.stringify(written)} needs ${names.length ? `${JSON.stringify(unknown)}, which is not a Mindbody staff permission${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}` : 'at least one permission'}`,
    )
  }
  return [...new Set(names.map(permissionIndex))]
}

/** The `permissions` option (or another written alike) checked and read into rules; `undefined` when there are none. */
export function permissionRules(permissions: unknown, option = 'permissions'): PermissionRules | undefined {
  if (permissions === undefined) return undefined
  if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions))
    throw new MindbodyError(
      'invalid-input',
      "Invalid permissions: give an object such as { 'POST /sale/returnsale': 'RefundSales' }",
    )
  const rules: PermissionRules = new Map()
  for (const [written, value] of Object.entries(permissions)) {
    const key = keyOf(written, option)
    rules.set(key, [...new Set([...(rules.get(key) ?? []), ...needsOf(written, value, option)])])
  }
  return rules.size ? rules : undefined
}
