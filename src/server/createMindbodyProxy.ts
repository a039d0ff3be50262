import { canonicalPath, isWellFormedHost, rawTarget } from './canonicalPath'
import { forwardRoute } from './forwardRoute'
import { issueRoute } from './issueRoute'
import { createProxyContext } from './proxyContext'
import type { MindbodyProxyOptions } from './proxyOptions'
import { renewRoute } from './renewRoute'
import { preferredUpstreams } from './preferredUpstreams'
import { METHODS, passesCsrfCheck } from './requestChecks'
import { refuse } from './responses'
import { revokeRoute } from './revokeRoute'
import { STORE_DOWN } from './proxySessions'
import type { ProxySessions } from './sessionsApi'
import { sessionRoute } from './sessionRoute'
import { activityRoute, sessionsRoute } from './sessionsRoute'
import { socketAddresses } from './socketAddresses'

/**
 * The handler `createMindbodyProxy` returns: a web-standard `(request) => Promise<Response>`, and the
 * `basePath` it answers under. It never throws, and never logs.
 *
 * @example
 * const proxy: MindbodyProxy = createMindbodyProxy(options)
 * export const GET = proxy, POST = proxy, DELETE = proxy
 */
export type MindbodyProxy = ((request: Request) => Promise<Response>) & {
  readonly basePath: string
  /** With `session.store`: list and revoke sessions from an admin page or a script. */
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
 * @example
 * // app/mindbody/[...path]/route.ts
 * const proxy = createMindbodyProxy({ apiKey: process.env.MINDBODY_API_KEY!, secret: process.env.SESSION_SECRET!, siteIds: [-99] })
 * export { proxy as GET, proxy as POST, proxy as DELETE }
 */
export function createMindbodyProxy(options: MindbodyProxyOptions): MindbodyProxy {
  const context = createProxyContext(options)
  const { basePath, sites, allow, allowAnonymous, origins, signedOut } = context

  async function route(request: Request): Promise<Response> {
    const { path: raw, search } = rawTarget(request.url)
    if (!raw.startsWith(basePath + '/')) return refuse(404, 'Not found.', 'NotFound')
    const canonical = canonicalPath(raw, basePath)
    if (!canonical) return refuse(400, 'Invalid path.', 'InvalidParameter')
    if (!METHODS.has(request.method)) return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
    const host = request.headers.get('Host')
    if (host !== null && !isWellFormedHost(host)) return refuse(400, 'Invalid Host.', 'InvalidParameter')
    if (!passesCsrfCheck(request, () => new URL(request.url).origin, origins))
      return refuse(403, 'Cross-site request refused.', 'Forbidden')
    const siteId = request.headers.get('SiteId') ?? ''
    if (!/^-?\d{1,10}$/.test(siteId)) return refuse(400, 'SiteId header is required.', 'InvalidParameter')
    if (!sites.has(siteId)) return refuse(403, 'This proxy does not serve that site.', 'Forbidden')

    const sealed = await context.opened(request, siteId)
    // Two cookies of one name: one may be an attacker's, so neither is used.
    if (sealed === 'ambiguous') return signedOut(siteId)
    const path = canonical.slice(basePath.length)
    const token = TOKEN_ROUTE.exec(path)
    const name = token?.[2]!.toLowerCase()
    if (token && request.method !== (name === 'revoke' ? 'DELETE' : 'POST'))
      return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
    // A sign-in replaces the session, a sign-out ends it: every other call needs one that lasts.
    if (name === 'issue')
      return issueRoute(context, request, siteId, token![1]!, sealed || null, socketAddresses.get(request))
    if (name === 'revoke') return sealed === false ? signedOut(siteId) : revokeRoute(context, sealed, siteId)
    const reason = sealed && (await context.sessions.ended(sealed))
    if (sealed && reason) return context.sessions.end(sealed, reason)
    if (path === '/session') return sessionRoute(context, request, sealed, siteId)
    const listed = SESSIONS_ROUTE.exec(path)
    if (path === '/session/activity' || listed) {
      if (!sealed) return signedOut(siteId)
      return listed
        ? sessionsRoute(context, request, sealed, listed[1])
        : activityRoute(context, request, sealed)
    }
    if (token) return sealed ? renewRoute(context, request, sealed, token[1]!) : signedOut(siteId)
    // Token calls go only through the routes above, which seal and limit them.
    if (/usertoken/i.test(path) || !allow(request.method, path)) return refuse(404, 'Not found.', 'NotFound')
    if (!sealed && !(sealed === null && allowAnonymous(request.method, path))) return signedOut(siteId)
    return forwardRoute(context, request, path + search, siteId, sealed || null)
  }

  const handle = async (request: Request): Promise<Response> => {
    try {
      return await route(request)
    } catch (error) {
      // A session store that cannot answer fails closed: nothing is sent upstream.
      if (error === STORE_DOWN)
        return refuse(503, 'Sessions are unavailable for a moment. Try again later.', 'ServiceUnavailable', {
          'Retry-After': '30',
        })
      return refuse(500, 'The proxy could not answer.', 'InternalError')
    }
  }
  const proxy = Object.assign(handle, { basePath, sessions: context.sessions.api })
  preferredUpstreams.set(proxy, context.prefer)
  return proxy
}
