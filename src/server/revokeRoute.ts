import type { ProxyContext } from './proxyContext'
import { passThrough, unreachable, withCookie } from './responses'
import type { SealedToken } from './sessionCookie'

/** `DELETE …/usertoken/revoke`: clears the cookie whatever happens, and revokes its token upstream. */
export async function revokeRoute(
  context: ProxyContext,
  sealed: SealedToken | null,
  siteId: string,
  version: string,
) {
  const cleared = context.clear(siteId)
  if (!sealed)
    return withCookie(new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } }), cleared)
  try {
    const response = await context.send(`${context.upstream}/public/v${version}/usertoken/revoke`, {
      method: 'DELETE',
      headers: context.headers(siteId, sealed.AccessToken),
      redirect: 'manual',
    })
    return withCookie(await passThrough(response), cleared)
  } catch {
    return withCookie(unreachable(), cleared)
  }
}
