import { MindbodyError } from '../core/MindbodyError'
import { isHeaderValue } from '../core/validate'
import { cookieAttributes } from './cookie/cookieHeader'
import { permissionRules } from './permissions/permissionRules'
import type { MindbodyProxyOptions } from './proxyOptions'
import { memoryLimitStore } from './stores/memoryLimitStore'

/** An origin the options name (an entry of `origins`, or `upstream`); a clear error for anything else. */
function originOf(entry: string, option = 'origins', example = 'https://portal.example'): string {
  try {
    const { origin } = new URL(entry)
    if (origin !== 'null') return origin
  } catch {
    // refused below
  }
  throw new MindbodyError(
    'invalid-input',
    `Invalid ${option}: ${JSON.stringify(entry)} is not an origin such as ${example}`,
  )
}

/** Where the proxy is mounted, from its options: `'/mindbody'` unless `basePath` says otherwise. */
export const basePathOf = (options: MindbodyProxyOptions) =>
  (options.basePath ?? '/mindbody').replace(/\/+$/, '')

/**
 * The options checked, with their defaults filled in; throws a clear error, naming the option but
 * never its value, for a proxy that cannot work.
 */
export function proxySettings(options: MindbodyProxyOptions) {
  const { apiKey, secure = true, cookie = {}, upstreamTimeoutMs = 30_000, storeTimeoutMs = 2_000 } = options
  if (!isHeaderValue(apiKey) || !apiKey)
    throw new MindbodyError(
      'invalid-input',
      `Invalid apiKey: ${apiKey ? 'it must be a header-safe string' : 'it is missing'}`,
    )
  for (const [name, ms] of Object.entries({ upstreamTimeoutMs, storeTimeoutMs }))
    if (!(Number.isFinite(ms) && ms > 0))
      throw new MindbodyError('invalid-input', `Invalid ${name}: give a number of milliseconds above 0`)
  if (!Array.isArray(options.siteIds) || !options.siteIds.every((id) => /^-?\d{1,10}$/.test(String(id))))
    throw new MindbodyError(
      'invalid-input',
      'Invalid siteIds: give the sites this proxy serves, such as [-99]',
    )
  const basePath = basePathOf(options)
  const attributes = cookieAttributes(secure, cookie)
  const upstream = originOf(
    options.upstream ?? 'https://api.mindbodyonline.com',
    'upstream',
    'https://api.mindbodyonline.com',
  )
  return {
    apiKey,
    secure,
    basePath,
    cookiePath: basePath || '/',
    attributes,
    transient: () => !!options.session?.transient,
    upstream,
    sites: new Set(options.siteIds.map(String)),
    allow:
      options.allow ??
      ((method: string, path: string) => /^(GET|POST)$/.test(method) && path.startsWith('/public/v6/')),
    allowAnonymous: options.allowAnonymous ?? (() => false),
    origins: options.origins && new Set(options.origins.map((entry) => originOf(entry))),
    signInLimit: options.signInLimit ?? { max: 5, windowMs: 15 * 60_000 },
    upstreamTimeoutMs,
    storeTimeoutMs,
    limits: options.limitStore ?? memoryLimitStore(),
    clientIp: options.clientIp,
    permissionRules: permissionRules(options.permissions),
  }
}
