import type { ProxyContext } from './proxyContext'
import { json, refuse, visible } from './responses'
import type { SealedToken } from './sessionCookie'

/** `GET {basePath}/session`: the signed-in token without its `AccessToken`, or 401. */
export function sessionRoute(
  context: ProxyContext,
  request: Request,
  sealed: SealedToken | null | false,
  siteId: string,
) {
  if (request.method !== 'GET') return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
  return sealed ? json(visible(sealed)) : context.signedOut(siteId)
}
