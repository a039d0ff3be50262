import type { ProxyContext } from './proxyContext'
import { json, refuse, visible, withCookie } from './responses'
import type { SealedToken } from './sessionCookie'

/**
 * `GET {basePath}/session`: the signed-in token without its `AccessToken`, or `null` when no one is
 * signed in, with 200 either way (as Auth.js's `/session` answers): signed out is an answer, not an
 * error, so a signed-out page load logs nothing in the browser's console. A cookie that did not open
 * is cleared.
 */
export function sessionRoute(
  context: ProxyContext,
  request: Request,
  sealed: SealedToken | null | false,
  siteId: string,
) {
  if (request.method !== 'GET') return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
  if (sealed) return json(visible(sealed))
  return sealed === false ? withCookie(json(null), context.clear(siteId)) : json(null)
}
