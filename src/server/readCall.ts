import { canonicalPath, isWellFormedHost } from './canonicalPath'
import type { SealedToken } from './cookie/sessionSealer'
import type { DeskCall } from './desk/createDesks'
import type { ProxyContext } from './proxyContext'
import type { ClientAddress } from './proxyOptions'
import { refusedBy } from './observe/outcome'
import type { Watch } from './observe/telemetry'
import { csrfRefusal, METHODS } from './requestChecks'
import { refuse } from './responses'

/** A request to the proxy, read once: what every route is given. */
export interface ProxyCall {
  request: Request
  /** The canonical path below `basePath`, which is routed, checked and forwarded. */
  path: string
  /** The query as sent, `?` included, or `''`. */
  search: string
  /** The `SiteId` header: a site this proxy serves. */
  siteId: string
  /** The API version of a `/public/v{n}/` path, or `''`. */
  version: string
  /** The session the cookie holds, or `null`. */
  sealed: SealedToken | null
  /** A cookie came that did not open: tampered, foreign, expired or sealed with an unknown secret. */
  unopened: boolean
  /** With the `desk` option: the desk the cookie names, as it was when the call came. */
  desk?: DeskCall
  /** The socket's address, under `toNodeHandler`. */
  client?: ClientAddress
  /** What the observer watches of this request, when the proxy is watched. */
  watch?: Watch
}

/**
 * Reads `request` once, doing what every call shares: its path made canonical, its method, `Host`,
 * CSRF check, `SiteId` and site, and its cookie opened. The refusal instead, for a request none of
 * the routes may see; two cookies of one name (one may be an attacker's) mean signed out.
 */
export async function readCall(
  context: ProxyContext,
  request: Request,
  target: { path: string; search: string },
  client?: ClientAddress,
): Promise<ProxyCall | Response> {
  const { basePath } = context
  const canonical = canonicalPath(target.path, basePath)
  if (!canonical) return refusedBy('path', refuse(400, 'Invalid path.', 'InvalidParameter'))
  if (!METHODS.has(request.method))
    return refusedBy('method', refuse(405, 'Method not allowed.', 'MethodNotAllowed'))
  const host = request.headers.get('Host')
  if (host !== null && !isWellFormedHost(host))
    return refusedBy('host', refuse(400, 'Invalid Host.', 'InvalidParameter'))
  const refusal = csrfRefusal(request, context.origins)
  if (refusal) {
    const check = request.headers.get('X-Mindbody-Proxy') === '1' ? 'origin' : 'csrf'
    return refusedBy(check, refuse(403, refusal, 'Forbidden'))
  }
  const siteId = request.headers.get('SiteId') ?? ''
  if (!/^-?\d{1,10}$/.test(siteId))
    return refusedBy('site', refuse(400, 'SiteId header is required.', 'InvalidParameter'))
  if (!context.sites.has(siteId))
    return refusedBy('site', refuse(403, 'This proxy does not serve that site.', 'Forbidden'))
  const opened = await (context.desks ?? context).opened(request, siteId)
  if (opened === 'ambiguous') return refusedBy('cookie', context.signedOut(siteId))
  const desk = opened && 'record' in opened ? opened : undefined
  const sealed = desk ? desk.sealed : (opened as SealedToken | null | false)
  const path = canonical.slice(basePath.length)
  const version = /^\/public\/v(\d+)\//i.exec(path)?.[1] ?? ''
  return {
    request,
    path,
    search: target.search,
    siteId,
    version,
    sealed: sealed || null,
    unopened: opened === false,
    desk,
    client,
  }
}
