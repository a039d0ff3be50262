import type { ProxyContext } from './proxyContext'
import { noContent, passThrough, unreachable, withCookie } from './responses'
import type { SealedToken } from './sessionCookie'

/**
 * `DELETE …/usertoken/revoke`: clears the cookie whatever happens, and revokes its token upstream, to
 * the end even if the browser leaves, and only once: a session that had already ended answers 204.
 */
export async function revokeRoute(context: ProxyContext, sealed: SealedToken | null, siteId: string) {
  const cleared = context.clear(siteId)
  if (!sealed || !(await context.sessions.forget(sealed))) return withCookie(noContent(), cleared)
  const answer = await context.revokeUpstream(sealed)
  return withCookie(answer ? passThrough(answer) : unreachable(), cleared)
}
