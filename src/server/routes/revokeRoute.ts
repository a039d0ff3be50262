import { noted } from '../observe/outcome'
import type { ProxyContext } from '../proxyContext'
import { noContent, passThrough, unreachable, withCookie } from '../responses'
import type { ProxyCall } from '../readCall'

/**
 * `DELETE …/usertoken/revoke`: clears the cookie whatever happens, and revokes its token upstream, to
 * the end even if the browser leaves, and only once: a session that had already ended answers 204. A
 * store that cannot forget the session keeps no one signed in: the token is revoked all the same. At
 * a desk, it is the active staff member's sign-out: the others stay, parked.
 */
export async function revokeRoute(context: ProxyContext, { sealed, siteId, watch, desk }: ProxyCall) {
  // At a desk only the active staff member leaves it; with nobody active, nobody does.
  const cleared = desk
    ? sealed
      ? await context.cleared(sealed).catch(() => undefined)
      : undefined
    : context.clear(siteId)
  const first = sealed && (await context.sessions.forget(sealed).catch(() => true))
  if (!sealed) return withCookie(noContent(), cleared)
  if (!first) return noted(withCookie(noContent(), cleared), { type: 'sign-out' })
  const answer = await context.revokeUpstream(sealed, watch)
  return noted(withCookie(answer ? passThrough(answer) : unreachable(), cleared), { type: 'sign-out' })
}
