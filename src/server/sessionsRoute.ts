import type { SessionRecord } from './sessionStore'
import type { ProxyContext } from './proxyContext'
import { json, noContent, refuse, withCookie } from './responses'
import type { SealedToken } from './sessionCookie'

/** One session as the routes show it: no token, no username. */
const shown = (record: SessionRecord, current?: string) => ({
  Id: record.id,
  SignedInAt: new Date(record.signedInAt).toISOString(),
  ActiveAt: new Date(record.activeAt).toISOString(),
  ExpiresAt: new Date(record.expiresAt).toISOString(),
  Current: record.id === current,
})

/**
 * `POST {basePath}/session/activity`: the browser says the staff member is active. The cookie is
 * re-sealed at most once a minute, so parallel calls never depend on each other's `Set-Cookie`.
 */
export async function activityRoute(context: ProxyContext, request: Request, sealed: SealedToken) {
  if (request.method !== 'POST') return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
  const now = Date.now()
  if (now - sealed.activeAt < 60_000) return noContent()
  // Only while the session lasts: a report under way across a revocation does not bring it back.
  const cookie = await context.reseal({ ...sealed, activeAt: now })
  return cookie ? withCookie(noContent(), cookie) : context.sessions.end(sealed, 'revoked')
}

/**
 * `GET {basePath}/sessions`: the signed-in staff member's own sessions on this site, and
 * `DELETE {basePath}/sessions/{id}`: ends one of them ("sign out my other devices"); ending the
 * current one signs out here too. Only with a session store.
 */
export async function sessionsRoute(
  context: ProxyContext,
  request: Request,
  sealed: SealedToken,
  id?: string,
) {
  const { store } = context.sessions
  if (!store || !sealed.sid) return refuse(404, 'This proxy keeps no list of sessions.', 'NotFound')
  // The signed-in staff member's own: by staff identity, which tells two owners (both Id 0) apart.
  const own = async () => {
    const mine = (r: SessionRecord) => (sealed.staff ? r.staff === sealed.staff : r.id === sealed.sid)
    return (await context.sessions.list(sealed.siteId)).filter(mine)
  }
  if (id === undefined) {
    if (request.method !== 'GET') return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
    return json({ Sessions: (await own()).map((r) => shown(r, sealed.sid)) })
  }
  if (request.method !== 'DELETE') return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
  if (!(await own()).some((r) => r.id === id)) return refuse(404, 'No such session.', 'NotFound')
  if (id === sealed.sid) return context.sessions.end(sealed, 'revoked')
  await store.revoke(id)
  return noContent()
}
