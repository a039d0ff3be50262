import type { SessionRecord } from '../stores/types'
import type { ProxyContext } from '../proxyContext'
import { json, noContent, refuse } from '../responses'
import type { SealedToken } from '../cookie/sessionSealer'

/** One session as the routes show it: no token, no username. */
const shown = (record: SessionRecord, current?: string) => ({
  Id: record.id,
  SignedInAt: new Date(record.signedInAt).toISOString(),
  ActiveAt: new Date(record.activeAt).toISOString(),
  ExpiresAt: new Date(record.expiresAt).toISOString(),
  Current: record.id === current,
})

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
