import { refusalOf, refusedBy } from '../observe/outcome'
import { permissionRefusal } from '../permissions/permissionRefusal'
import { refuse } from '../responses'
import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'
import { deskChanged, deskLocked } from '../desk/deskAnswers'
import type { Check } from './route'

/** The route's own method, else 405. */
export const method: Check = (_, { request }, route) =>
  request.method === route.method
    ? undefined
    : refusedBy('method', refuse(405, 'Method not allowed.', 'MethodNotAllowed'))

/** A session past its idle or absolute limit, or revoked, ends here: 401 `SessionExpired`. */
export const live: Check = async ({ sessions }, call) => {
  // A desk pass sent before a change acts for nobody, yet `/session` shows who is active now: that
  // session must last too.
  const sealed = call.sealed ?? (call.desk?.stale ? call.desk.active : null)
  const reason = sealed && (await sessions.ended(sealed))
  return reason ? sessions.end(sealed, reason, call.watch) : undefined
}

/**
 * At a desk that is locked, 423 `DeskLocked` (and its cookie kept); sent for someone no longer active
 * there, 409 `DeskChanged`; else 401 with the cookie cleared.
 */
const noSession = (context: ProxyContext, { desk, siteId }: ProxyCall) =>
  refusedBy('session', desk?.stale ? deskChanged() : desk ? deskLocked() : context.signedOut(siteId))

/** One of `methods`, else 405. */
export const either =
  (...methods: string[]): Check =>
  (_, { request }) =>
    methods.includes(request.method)
      ? undefined
      : refusedBy('method', refuse(405, 'Method not allowed.', 'MethodNotAllowed'))

/** A session, else 401 (423 at a locked desk). */
export const session: Check = (context, call) => (call.sealed ? undefined : noSession(context, call))

/** No cookie that failed to open, else 401. */
export const opened: Check = (context, { unopened, siteId }) =>
  unopened ? refusedBy('cookie', context.signedOut(siteId)) : undefined

/** With the `desk` option, a desk, else 401 with the cookie cleared; without it, 404. */
export const desked: Check = (context, { desk, siteId }) =>
  !context.desks
    ? refusedBy('allow', refuse(404, 'This proxy keeps no desks.', 'NotFound'))
    : desk
      ? undefined
      : refusedBy('session', context.signedOut(siteId))

/** A session store, and a session it keeps, else 404. */
export const kept: Check = ({ sessions }, { sealed }) =>
  sessions.store && sealed?.sid
    ? undefined
    : refusedBy('store', refuse(404, 'This proxy keeps no list of sessions.', 'NotFound'))

/** No token endpoint (those go only through the token routes, which seal and limit them), and `allow` lets it through, else 404. */
export const allowed: Check = ({ allow }, { request, path }) =>
  /usertoken/i.test(path) || !allow(request.method, path)
    ? refusedBy('allow', refuse(404, 'Not found.', 'NotFound'))
    : undefined

/** A session, or none and a call `allowAnonymous` lets through, else 401. */
export const anonymous: Check = (context, call) =>
  call.sealed || (!call.unopened && !call.desk && context.allowAnonymous(call.request.method, call.path))
    ? undefined
    : noSession(context, call)

/** A call the `permissions` option maps is made only by a staff member who has them, else 403 `PermissionDenied`. */
export const permitted: Check = (context, call) => refusalOf('permission', permissionRefusal(context, call))

/** With a budget that refuses, a site that has not spent it this billing period, else 429 `BudgetExceeded`. */
export const budget: Check = ({ meter }, { siteId }) =>
  meter?.refusal(siteId).then((refusal?: Response) => refusal && refusedBy('budget', refusal))
