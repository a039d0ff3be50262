import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'
import { json, noContent, refuse } from '../responses'
import type { SessionRecord } from '../stores/types'

/** One session as the routes show it: no token, no username. */
const shown = (record: SessionRecord, current?: string) => ({
  Id: record.id,
  SignedInAt: new Date(record.signedInAt).toISOString(),
  ActiveAt: new Date(record.activeAt).toISOString(),
  ExpiresAt: new Date(record.expiresAt).toISOString(),
  Current: record.id === current,
})

/** The signed-in staff member's own sessions: by staff identity, which tells two owners (both Id 0) apart. */
async function own(context: ProxyContext, { sealed }: ProxyCall) {
  const { staff, sid, siteId } = sealed!
  return (await context.sessions.list(siteId)).filter((r) => (staff ? r.staff === staff : r.id === sid))
}

/** `GET {basePath}/sessions`: the signed-in staff member's own sessions on this site. Only with a session store. */
export async function sessionsRoute(context: ProxyContext, call: ProxyCall) {
  return json({ Sessions: (await own(context, call)).map((r) => shown(r, call.sealed!.sid)) })
}

/**
 * `DELETE {basePath}/sessions/{id}`: ends one of the staff member's own sessions ("sign out my other
 * devices"); ending the current one signs out here too. Only with a session store.
 */
export async function endSessionRoute(context: ProxyContext, call: ProxyCall) {
  const sealed = call.sealed!
  const id = call.path.slice('/sessions/'.length)
  if (!(await own(context, call)).some((r) => r.id === id)) return refuse(404, 'No such session.', 'NotFound')
  if (id === sealed.sid) return context.sessions.end(sealed, 'revoked', call.watch)
  await context.sessions.store!.revoke(id)
  return noContent()
}
