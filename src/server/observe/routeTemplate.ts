import type { CallKind } from './callMeter'
import { mindbodyRoutes } from './mindbodyRoutes'

const exact = new Set(mindbodyRoutes)
const withParameters = mindbodyRoutes
  .filter((route) => route.includes('{'))
  .map((route) => [new RegExp(`^${route.replace(/\{[^}]+\}/g, '[^/]+')}$`), route] as const)

/** One of Mindbody's published routes that `rest` (after `/public/v{n}`) is, or `/*` for any other. */
function mindbodyRoute(rest: string) {
  if (exact.has(rest)) return rest
  return withParameters.find(([pattern]) => pattern.test(rest))?.[1] ?? '/*'
}

/**
 * A path as a route template, so that spans, counters and the meter have few names, which no caller
 * can multiply: no query, lower case, the API version as `v{n}`, then one of Mindbody's published routes
 * (`mindbodyRoutes`) or `/public/v{n}/*`; the proxy's own paths with their ids (all digits, or 16 hex
 * digits and more) as `{id}`.
 */
export function routeTemplate(path: string): string {
  const lower = path.split('?')[0]!.toLowerCase()
  const rest = /^\/public\/v\d+(\/.*)$/.exec(lower)?.[1]
  if (rest !== undefined) return `/public/v{n}${mindbodyRoute(rest)}`
  return lower.replace(/\/(\d+|[0-9a-f]{16,})(?=\/|$)/g, '/{id}')
}

/** Who asked for a call the proxy reads whole (not a forwarded one), from its route. */
export function kindOf(route: string): CallKind {
  if (route.endsWith('/usertoken/issue')) return 'sign-in'
  if (route.endsWith('/usertoken/renew')) return 'renew'
  if (route.endsWith('/usertoken/revoke')) return 'revoke'
  return route.endsWith('/staff/staffpermissions') ? 'permissions' : 'forward'
}

/** Mindbody's error code and message in an answer's body, when it has them. */
export function errorIn(body: Uint8Array | null | undefined): { code?: string; message?: string } {
  if (!body?.length) return {}
  try {
    const { Error: error } = JSON.parse(new TextDecoder().decode(body)) as { Error?: Record<string, unknown> }
    const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 64) : undefined)
    return {
      code: text(error?.Code),
      message: typeof error?.Message === 'string' ? error.Message : undefined,
    }
  } catch {
    return {}
  }
}

/** Mindbody's error code in an answer's body, when it has one. */
export const codeIn = (body: Uint8Array | null | undefined) => errorIn(body).code
