import type { SealedToken } from '../cookie/sessionSealer'
import { groupAnswer } from '../permissions/permissionGroup'
import { readPermissions } from '../permissions/readPermissions'
import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'
import { json, passThrough, unreachable, withCookie } from '../responses'
import { allowed, anonymous, budget, permitted } from './checks'
import { forwardRoute } from './forwardRoute'
import type { Route } from './route'

/**
 * Whether `search` asks for `sealed`'s own staff member: one parameter, `request.staffId` (in any
 * case, as Mindbody binds it), whose value is the session's `User.Id`.
 */
function asksOwn(search: string, sealed: SealedToken) {
  const params = [...new URLSearchParams(search)]
  const [name, value] = params.length === 1 ? params[0]! : []
  return (
    name?.toLowerCase() === 'request.staffid' &&
    /^\d{1,16}$/.test(value!) &&
    Number(value) === sealed.User?.Id
  )
}

/** Any other call of the path, forwarded as the forwarding row forwards it, after its checks. */
async function forwardOther(context: ProxyContext, call: ProxyCall, route: Route) {
  for (const check of [allowed, anonymous, permitted, budget]) {
    const refusal = await check(context, call, route)
    if (refusal) return refusal
  }
  return forwardRoute(context, call)
}

/**
 * `GET /public/v{n}/staff/staffpermissions?request.staffId={own id}`: the session's own permission
 * group, answered from the cookie in Mindbody's shape, with nothing sent upstream, whatever `allow`
 * says. Permissions not known yet (their read at sign-in failed) are read now and sealed into the
 * cookie; Mindbody's refusal passes on, and a 401 clears the cookie. Any other call of the path
 * (another staff member, another method, no session) is forwarded as any call, with its checks.
 */
export async function permissionsRoute(context: ProxyContext, call: ProxyCall, route: Route) {
  const { sealed, request } = call
  if (request.method !== 'GET' || !sealed || !asksOwn(call.search, sealed))
    return forwardOther(context, call, route)
  if (sealed.permissions) return json(groupAnswer(sealed.permissions))
  const read = await readPermissions(context, sealed, request.signal, call.watch)
  if ('failed' in read) {
    if (!read.failed) return unreachable()
    const answer = passThrough(read.failed)
    return read.failed.status === 401 ? withCookie(answer, await context.cleared(sealed)) : answer
  }
  const cookie = await context.reseal({ ...sealed, permissions: read.kept })
  return cookie === null
    ? context.sessions.end(sealed, 'revoked', call.watch)
    : withCookie(json(groupAnswer(read.kept)), cookie)
}
