import { noted } from '../observe/outcome'
import type { ProxyContext } from '../proxyContext'
import { noContent, passThrough, unreachable, withCookie } from '../responses'
import type { ProxyCall } from '../readCall'

/**
 * `DELETE …/usertoken/revoke`: clears the cookie whatever happens, and revokes its token upstream, to
 * the end even if the browser leaves, and only once: a session that had already ended answers 204. A
 * store that cannot forget the session keeps no one signed in: the token is revoked all the same. At
 * a desk, it is the sign-out of the staff member active when it was sent: the others stay, parked.
 */
export async function revokeRoute(context: ProxyContext, call: ProxyCall) {
  const { siteId, watch, desk } = call
  // At a desk it is the sign-out of whom the cookie was sealed for, even if someone else is active
  // since: a late sign-out never ends a newer sign-in. With nobody active then, nobody leaves.
  const sealed = desk?.stale ? await context.desks!.named(desk) : call.sealed
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
