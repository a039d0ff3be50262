import type { ProxyContext } from '../proxyContext'
import { noContent, passThrough, unreachable, withCookie } from '../responses'
import type { ProxyCall } from '../readCall'

/**
 * `DELETE …/usertoken/revoke`: clears the cookie whatever happens, and revokes its token upstream, to
 * the end even if the browser leaves, and only once: a session that had already ended answers 204. A
 * store that cannot forget the session keeps no one signed in: the token is revoked all the same.
 */
export async function revokeRoute(context: ProxyContext, { sealed, siteId }: ProxyCall) {
  const cleared = context.clear(siteId)
  const first = sealed && (await context.sessions.forget(sealed).catch(() => true))
  if (!sealed || !first) return withCookie(noContent(), cleared)
  const answer = await context.revokeUpstream(sealed)
  return withCookie(answer ? passThrough(answer) : unreachable(), cleared)
}
