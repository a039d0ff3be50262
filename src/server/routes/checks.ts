import { refusalOf, refusedBy } from '../observe/outcome'
import { permissionRefusal } from '../permissions/permissionRefusal'
import { refuse } from '../responses'
import type { Check } from './route'

/** The route's own method, else 405. */
export const method: Check = (_, { request }, route) =>
  request.method === route.method
    ? undefined
    : refusedBy('method', refuse(405, 'Method not allowed.', 'MethodNotAllowed'))

/** A session past its idle or absolute limit, or revoked, ends here: 401 `SessionExpired`. */
export const live: Check = async ({ sessions }, call) => {
  const { sealed } = call
  const reason = sealed && (await sessions.ended(sealed))
  return reason ? sessions.end(sealed, reason, call.watch) : undefined
}

/** A session, else 401. */
export const session: Check = (context, { sealed, siteId }) =>
  sealed ? undefined : refusedBy('session', context.signedOut(siteId))

/** No cookie that failed to open, else 401. */
export const opened: Check = (context, { unopened, siteId }) =>
  unopened ? refusedBy('cookie', context.signedOut(siteId)) : undefined

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
export const anonymous: Check = (context, { request, path, sealed, unopened, siteId }) =>
  sealed || (!unopened && context.allowAnonymous(request.method, path))
    ? undefined
    : refusedBy('session', context.signedOut(siteId))

/** A call the `permissions` option maps is made only by a staff member who has them, else 403 `PermissionDenied`. */
export const permitted: Check = (context, call) => refusalOf('permission', permissionRefusal(context, call))

/** With a budget that refuses, a site that has not spent it this billing period, else 429 `BudgetExceeded`. */
export const budget: Check = ({ meter }, { siteId }) =>
  meter?.refusal(siteId).then((refusal?: Response) => refusal && refusedBy('budget', refusal))
