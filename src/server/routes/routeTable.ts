import {
  allowed,
  anonymous,
  budget,
  desked,
  either,
  kept,
  live,
  method,
  opened,
  permitted,
  session,
} from './checks'
import { approvalRoute } from '../desk/approvals'
import { endShiftRoute, lockRoute, pinRoute, unlockRoute } from '../desk/deskRoutes'
import { forwardRoute } from './forwardRoute'
import { issueRoute } from './issueRoute'
import { permissionsRoute } from './permissionsRoute'
import { renewRoute } from './renewRoute'
import { revokeRoute } from './revokeRoute'
import type { Route } from './route'
import { activityRoute, sessionRoute } from './sessionRoute'
import { endSessionRoute, sessionsRoute } from './sessionsRoute'

const token = (name: string) => new RegExp(`^/public/v[1-9]\\d{0,3}/usertoken/${name}$`, 'i')
const staffPermissions = /^\/public\/v[1-9]\d{0,3}\/staff\/staffpermissions$/i

/**
 * The proxy's routes, the first whose path matches answering, in the order security needs: a
 * sign-in replaces the session and a sign-out ends it, so neither waits for the session's limits;
 * every other call is refused once its session is over (`live`) before anything else is sent.
 * A staff member's own permissions are answered from the session; anything else is forwarded, when
 * `allow` says so, the staff member has the permissions the `permissions` option maps it to, and the
 * call meter's budget, if it refuses, is not spent. A desk is locked, unlocked and switched without
 * a session (a PIN stands for it); a call at a locked desk answers 423 (`session`, `anonymous`).
 */
export const ROUTES: Route[] = [
  { path: token('issue'), method: 'POST', checks: [method], handle: issueRoute },
  { path: token('revoke'), method: 'DELETE', checks: [method, opened], handle: revokeRoute },
  { path: token('renew'), method: 'POST', checks: [method, live, session], handle: renewRoute },
  { path: '/session', method: 'GET', checks: [live, method], handle: sessionRoute },
  { path: '/session/activity', method: 'POST', checks: [live, session, method], handle: activityRoute },
  { path: '/sessions', method: 'GET', checks: [live, session, kept, method], handle: sessionsRoute },
  {
    path: /^\/sessions\/[0-9a-f]{32}$/,
    method: 'DELETE',
    checks: [live, session, kept, method],
    handle: endSessionRoute,
  },
  { path: '/desk/lock', method: 'POST', checks: [method, desked], handle: lockRoute },
  { path: '/desk/unlock', method: 'POST', checks: [method, desked], handle: unlockRoute },
  { path: '/desk/pin', method: 'POST', checks: [method, desked, live, session], handle: pinRoute },
  { path: '/desk/end', method: 'POST', checks: [method, desked], handle: endShiftRoute },
  {
    path: /^\/desk\/approvals\/[0-9a-f]{32}$/,
    checks: [desked, either('POST', 'DELETE')],
    handle: approvalRoute,
  },
  { path: staffPermissions, checks: [live], handle: permissionsRoute },
  { path: /(?:)/, checks: [live, allowed, anonymous, permitted, budget], handle: forwardRoute },
]
