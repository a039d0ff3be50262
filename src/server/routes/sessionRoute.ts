import type { ProxyContext } from '../proxyContext'
import { json, noContent, visible, withCookie } from '../responses'
import type { ProxyCall } from '../readCall'
import { shownDesk } from '../desk/deskRecord'

/**
 * `GET {basePath}/session`: the signed-in token without its `AccessToken`, or `null` when no one is
 * signed in, with 200 either way (as Auth.js's `/session` answers): signed out is an answer, not an
 * error, so a signed-out page load logs nothing in the browser's console. A cookie that did not open
 * is cleared. At a desk, the desk comes too, as `Desk`: alone when it is locked.
 */
export async function sessionRoute(context: ProxyContext, { sealed, unopened, siteId, desk }: ProxyCall) {
  if (desk) {
    // Who is active now, whatever the cookie saw when it was sent.
    const shown = { Desk: shownDesk(desk.record, context.desks!.settings.pinLength) }
    const answer = json(desk.active ? { ...visible(desk.active), ...shown } : shown)
    // A cookie sealed before a change it crossed on the way catches up here.
    return desk.stale ? withCookie(answer, await context.desks!.pass(desk.record)) : answer
  }
  if (sealed) return json(visible(sealed))
  return unopened ? withCookie(json(null), context.clear(siteId)) : json(null)
}

/**
 * `POST {basePath}/session/activity`: the browser says the staff member is active. The cookie is
 * re-sealed at most once a minute, so parallel calls never depend on each other's `Set-Cookie`.
 */
export async function activityRoute(context: ProxyContext, call: ProxyCall) {
  const sealed = call.sealed!
  const now = Date.now()
  if (now - sealed.activeAt < 60_000) return noContent()
  // Only while the session lasts: a report under way across a revocation does not bring it back.
  const cookie = await context.reseal({ ...sealed, activeAt: now })
  return cookie === null
    ? context.sessions.end(sealed, 'revoked', call.watch)
    : withCookie(noContent(), cookie)
}
