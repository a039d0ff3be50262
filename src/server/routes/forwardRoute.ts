import type { ProxyContext } from '../proxyContext'
import { readBody } from '../readBody'
import { forwarded, refuse, unreachable, withCookie } from '../responses'
import type { ProxyCall } from '../readCall'
import { approvalOf } from '../desk/approvals'

const BODY_LIMIT = 1024 * 1024

/**
 * Any other allowed call, forwarded to exactly its canonical path and query, with the API
 * key and the cookie's token; streamed back with only the headers that are safe to pass on, and kept
 * out of shared caches when signed in. A 401 to a signed-in call clears the cookie. Mindbody has
 * `upstreamTimeoutMs` to begin its answer. With `shareGets`, a GET identical to one of the same
 * session in flight shares its answer. A call the `approvals` option maps goes only with its approval,
 * as its approver.
 */
export async function forwardRoute(context: ProxyContext, call: ProxyCall) {
  const { request, siteId } = call
  const bodiless = request.method === 'GET' || request.method === 'HEAD'
  const body = bodiless ? null : await readBody(request, BODY_LIMIT)
  if (body === null && !bodiless) return refuse(413, 'Request body too large.', 'PayloadTooLarge')
  const approval = await approvalOf(context, call, body)
  if (approval instanceof Response) return approval
  // An approved call goes as its approver; any other as the session's staff member.
  const sealed = approval?.sealed ?? call.sealed
  const target = call.path + call.search
  const upstreamCall = {
    method: request.method,
    siteId,
    token: sealed?.AccessToken,
    body,
    contentType: request.headers.get('Content-Type'),
    client: request.signal,
    userId: sealed?.User?.Id,
    watch: call.watch,
  }
  const { upstream, shared } = context
  // One session's identical GETs in flight at once go out once (`shareGets`): never two sessions'.
  const response = await (shared && bodiless && sealed
    ? shared(`${siteId}\n${sealed.AccessToken}\n${request.method} ${target}`, request.signal, (client) =>
        upstream.stream(target, { ...upstreamCall, client }),
      )
    : upstream.stream(target, upstreamCall))
  if (!response) return unreachable()
  const answer = forwarded(response, sealed !== null)
  return response.status === 401 && sealed ? withCookie(answer, await context.cleared(sealed)) : answer
}
