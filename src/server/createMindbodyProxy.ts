import { canonicalPath, isWellFormedHost, rawTarget } from './canonicalPath'
import { forwardRoute } from './routes/forwardRoute'
import { issueRoute } from './routes/issueRoute'
import { MindbodyError } from '../core/MindbodyError'
import { basePathOf, createProxyContext, type ProxyContext } from './proxyContext'
import type { MindbodyProxyOptions } from './proxyOptions'
import { renewRoute } from './routes/renewRoute'
import { csrfRefusal, METHODS } from './requestChecks'
import { refuse } from './responses'
import { revokeRoute } from './routes/revokeRoute'
import { STORE_DOWN } from './proxySessions'
import type { ProxySessions } from './sessionsApi'
import { activityRoute, sessionRoute } from './routes/sessionRoute'
import { sessionsRoute } from './routes/sessionsRoute'
import { NODE, type NodeSeam } from './node/nodeSeam'
import type { ClientAddress } from './proxyOptions'

/**
 * The handler `createMindbodyProxy` returns: a web-standard `(request) => Promise<Response>`, the
 * `basePath` it answers under, and `sessions`. It never throws. It logs one thing, once: that its
 * options are wrong (naming the option, never a secret), when the first request finds them so.
 *
 * @example
 * const proxy: MindbodyProxy = createMindbodyProxy(options)
 * export const GET = proxy, POST = proxy, DELETE = proxy
 */
export type MindbodyProxy = ((request: Request) => Promise<Response>) & {
  readonly basePath: string
  /**
   * With `session.store`: list and revoke sessions from an admin page or a script. Its first call
   * reads the options, and throws their error at once if they are wrong.
   */
  readonly sessions: ProxySessions
}

const TOKEN_ROUTE = /^\/public\/v([1-9]\d{0,3})\/usertoken\/(issue|renew|revoke)$/i
const SESSIONS_ROUTE = /^\/sessions(?:\/([0-9a-f]{32}))?$/

/**
 * A backend-for-frontend for Mindbody staff sign-in, as a web-standard handler for Next.js route
 * handlers, React Router and Remix actions, Hono, Cloudflare Workers, Deno, Bun and Node 20.19+ (through
 * `toNodeHandler`). It holds the API key and keeps the staff token in a sealed HttpOnly cookie, so no
 * page script ever sees either; `<MindbodyProvider session="server">` talks to it.
 *
 * It reads and checks its options when the first request under `basePath` comes (or the first call of
 * `proxy.sessions`), not when it is created, so a module that creates it at its top level can be
 * imported, and built by `next build`, with no secret in the environment. When they are wrong (a
 * missing or short `secret`, a missing `apiKey`, an `origins` entry that is not an origin…) every
 * request under `basePath` answers 500 with a Mindbody-style error that names the option, never its
 * value, and the proxy logs the same once with `console.error`. It throws at once only where there is
 * no Web Crypto, which no option can mend.
 *
 * @example
 * // app/mindbody/[...path]/route.ts
 * const proxy = createMindbodyProxy({ apiKey: process.env.MINDBODY_API_KEY!, secret: process.env.SESSION_SECRET!, siteIds: [-99] })
 * export { proxy as GET, proxy as POST, proxy as DELETE }
 */
export function createMindbodyProxy(options: MindbodyProxyOptions): MindbodyProxy {
  if (typeof crypto === 'undefined' || !crypto.subtle)
    throw new MindbodyError(
      'invalid-input',
      'createMindbodyProxy needs the Web Crypto API (crypto.subtle): run it on Node 20.19 or newer, or another runtime that has it',
    )
  const basePath = basePathOf(options)
  // `toNodeHandler` may prefer Node's own client for upstream calls, before or after the options are read.
  let preferred: typeof fetch | undefined
  let built: ProxyContext | Error | undefined
  let logged = false
  /** The options, read and checked the first time they are needed: the context, or their error. */
  const context = () => {
    if (!built)
      try {
        built = createProxyContext(options, () => preferred)
      } catch (error) {
        built = error instanceof Error ? error : new Error(String(error))
      }
    return built
  }
  /** The options' error as the 500 every request gets, logged the first time. */
  const misconfigured = ({ message }: Error) => {
    if (!logged) console.error(`react-mindbody-user-token: createMindbodyProxy cannot serve: ${message}`)
    logged = true
    return refuse(500, `The Mindbody proxy is misconfigured: ${message}`, 'InternalError')
  }

  async function route(request: Request, client?: ClientAddress): Promise<Response> {
    const { path: raw, search } = rawTarget(request.url)
    if (!raw.startsWith(basePath + '/')) return refuse(404, 'Not found.', 'NotFound')
    const made = context()
    if (made instanceof Error) return misconfigured(made)
    const { sites, allow, allowAnonymous, origins, signedOut } = made
    const canonical = canonicalPath(raw, basePath)
    if (!canonical) return refuse(400, 'Invalid path.', 'InvalidParameter')
    if (!METHODS.has(request.method)) return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
    const host = request.headers.get('Host')
    if (host !== null && !isWellFormedHost(host)) return refuse(400, 'Invalid Host.', 'InvalidParameter')
    const refusal = csrfRefusal(request, origins)
    if (refusal) return refuse(403, refusal, 'Forbidden')
    const siteId = request.headers.get('SiteId') ?? ''
    if (!/^-?\d{1,10}$/.test(siteId)) return refuse(400, 'SiteId header is required.', 'InvalidParameter')
    if (!sites.has(siteId)) return refuse(403, 'This proxy does not serve that site.', 'Forbidden')

    const sealed = await made.opened(request, siteId)
    // Two cookies of one name: one may be an attacker's, so neither is used.
    if (sealed === 'ambiguous') return signedOut(siteId)
    const path = canonical.slice(basePath.length)
    const token = TOKEN_ROUTE.exec(path)
    const name = token?.[2]!.toLowerCase()
    if (token && request.method !== (name === 'revoke' ? 'DELETE' : 'POST'))
      return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
    // A sign-in replaces the session, a sign-out ends it: every other call needs one that lasts.
    if (name === 'issue') return issueRoute(made, request, siteId, token![1]!, sealed || null, client)
    if (name === 'revoke') return sealed === false ? signedOut(siteId) : revokeRoute(made, sealed, siteId)
    const reason = sealed && (await made.sessions.ended(sealed))
    if (sealed && reason) return made.sessions.end(sealed, reason)
    if (path === '/session') return sessionRoute(made, request, sealed, siteId)
    const listed = SESSIONS_ROUTE.exec(path)
    if (path === '/session/activity' || listed) {
      if (!sealed) return signedOut(siteId)
      return listed ? sessionsRoute(made, request, sealed, listed[1]) : activityRoute(made, request, sealed)
    }
    if (token) return sealed ? renewRoute(made, request, sealed, token[1]!) : signedOut(siteId)
    // Token calls go only through the routes above, which seal and limit them.
    if (/usertoken/i.test(path) || !allow(request.method, path)) return refuse(404, 'Not found.', 'NotFound')
    if (!sealed && !(sealed === null && allowAnonymous(request.method, path))) return signedOut(siteId)
    return forwardRoute(made, request, path + search, siteId, sealed || null)
  }

  const handle = async (request: Request, client?: ClientAddress): Promise<Response> => {
    try {
      return await route(request, client)
    } catch (error) {
      // A session store that cannot answer fails closed: nothing is sent upstream.
      if (error === STORE_DOWN)
        return refuse(503, 'Sessions are unavailable for a moment. Try again later.', 'ServiceUnavailable', {
          'Retry-After': '30',
        })
      return refuse(500, 'The proxy could not answer.', 'InternalError')
    }
  }
  /** The context for `proxy.sessions`, whose callers get a wrong option's error thrown at once. */
  const ready = () => {
    const made = context()
    if (made instanceof Error) throw made
    return made
  }
  const sessions: ProxySessions = {
    list: (filter) => ready().sessions.api.list(filter),
    revoke: (filter) => ready().sessions.api.revoke(filter),
  }
  const node: NodeSeam = { handle, prefer: (upstream) => void (preferred = upstream) }
  return Object.assign((request: Request) => handle(request), { basePath, sessions, [NODE]: node })
}
