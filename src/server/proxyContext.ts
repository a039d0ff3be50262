import { expiresAt } from '../core/expiresAt'
import { MindbodyError } from '../core/MindbodyError'
import { isHeaderValue } from '../core/validate'
import type { MindbodyProxyOptions } from './proxyOptions'
import { memoryLimitStore } from './stores/memoryLimitStore'
import { createProxySessions } from './proxySessions'
import { refuse, withCookie } from './responses'
import { createUpstream } from './upstream'
import { cookieAttributes, cookieName, readCookies, setCookie } from './cookie/cookieHeader'
import { createSessionSealer, type SealedToken } from './cookie/sessionSealer'

const DAY = 24 * 60 * 60 * 1000

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

/** What every route of the proxy shares: its options with their defaults, and the cookie's helpers. */
export type ProxyContext = ReturnType<typeof createProxyContext>

/**
 * Checks the options and fills in their defaults; throws a clear error, naming the option but never
 * its value, for a proxy that cannot work. `preferred` is the fetch upstream calls use when the
 * options give none (`toNodeHandler` sets it); the global one otherwise.
 */
export function createProxyContext(options: MindbodyProxyOptions, preferred: () => typeof fetch | undefined) {
  const { apiKey, secure = true, cookie = {}, upstreamTimeoutMs = 30_000, storeTimeoutMs = 2_000 } = options
  const sealer = createSessionSealer(options.secret)
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
  const cookiePath = basePath || '/'
  const attributes = cookieAttributes(secure, cookie)
  const clear = (siteId: string) => setCookie(cookieName(siteId, secure), '', 0, cookiePath, attributes)
  const origin = originOf(
    options.upstream ?? 'https://api.mindbodyonline.com',
    'upstream',
    'https://api.mindbodyonline.com',
  )
  // `toNodeHandler` may prefer Node's own client; a given fetch always wins. The global one is looked
  // up at each call, so a fetch instrumented or polyfilled after start-up is the one used.
  const send = ((input, init) => (options.fetch ?? preferred() ?? fetch)(input, init)) as typeof fetch
  const upstream = createUpstream(apiKey, origin, send, upstreamTimeoutMs)
  /** Revokes `sealed`'s token at Mindbody, to the end whatever the browser does, within the deadline. */
  const revokeUpstream = (sealed: SealedToken) =>
    upstream.read(`/public/v${sealed.version}/usertoken/revoke`, {
      method: 'DELETE',
      siteId: sealed.siteId,
      token: sealed.AccessToken,
    })
  const sessions = createProxySessions(options.session, {
    revokeUpstream,
    clear,
    forgetOpened: sealer.forget,
    identity: sealer.identity,
    storeTimeoutMs,
  })
  /** The `Set-Cookie` that seals `token` until `until`, with no `Max-Age` when transient. */
  const cookieOf = async (token: SealedToken, until: number) => {
    const maxAge = options.session?.transient ? undefined : (until - Date.now()) / 1000
    return setCookie(
      cookieName(token.siteId, secure),
      await sealer.seal(token, until),
      maxAge,
      cookiePath,
      attributes,
    )
  }
  /** Until when a cookie for `token` lasts: its expiry, or a day when that is unknown or near. */
  const untilOf = (token: SealedToken) => {
    const expiry = expiresAt(token)
    return expiry !== null && expiry > Date.now() + 60_000 ? expiry : Date.now() + DAY
  }

  return {
    basePath,
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
    identity: sealer.identity,
    revokeUpstream,
    clear,
    sessions,
    /** A new sign-in's `Set-Cookie`, sealing `token` until its expiry; with a store, its record is created. */
    async seal(token: SealedToken) {
      const until = untilOf(token)
      await sessions.create(token, until)
      return cookieOf(token, until)
    },
    /**
     * The `Set-Cookie` for a session's changed `token` (renewed, or active), or `null` when its
     * session was revoked meanwhile: with a store, only a record that still exists is updated.
     */
    async reseal(token: SealedToken) {
      const until = untilOf(token)
      return (await sessions.update(token, until)) ? cookieOf(token, until) : null
    },
    /**
     * The sealed token of `siteId` in the request's cookie: a value, `null` when there is none, `false`
     * when it is bad, and `'ambiguous'` when there are two (a sibling subdomain can plant one).
     */
    async opened(request: Request, siteId: string): Promise<SealedToken | null | false | 'ambiguous'> {
      const [sealed, ...more] = readCookies(request.headers.get('Cookie'), cookieName(siteId, secure))
      if (more.length) return 'ambiguous'
      if (!sealed) return null
      const token = await sealer.open(sealed)
      return token && token.siteId === siteId ? token : false
    },
    /** 401 with the cookie cleared. */
    signedOut: (siteId: string) => withCookie(refuse(401, 'Not signed in.', 'Unauthorized'), clear(siteId)),
  }
}
