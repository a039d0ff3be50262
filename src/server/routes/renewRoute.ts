import { renewedToken } from '../../core/renewedToken'
import { noted } from '../observe/outcome'
import type { ProxyContext } from '../proxyContext'
import { readJson } from '../readBody'
import { json, passThrough, unreachable, unreadable, visible, withCookie } from '../responses'
import type { ProxyCall } from '../readCall'

/**
 * `POST …/usertoken/renew` for the cookie's token: any 2xx is a renewal, sealed into the cookie anew;
 * a 401 clears the cookie. A session revoked while the renewal was under way stays revoked: its
 * record is not written back, and the renewed token is revoked upstream too.
 */
export async function renewRoute(context: ProxyContext, call: ProxyCall) {
  const { request, version, watch } = call
  const sealed = call.sealed!
  const answer = await context.upstream.read(`/public/v${version}/usertoken/renew`, {
    method: 'POST',
    siteId: sealed.siteId,
    token: sealed.AccessToken,
    client: request.signal,
    userId: sealed.User?.Id,
    watch,
  })
  if (!answer) return unreachable()
  if (answer.status === 401) return withCookie(passThrough(answer), await context.cleared(sealed))
  if (!answer.ok) return passThrough(answer)
  if (!answer.body) return unreadable()
  let body: unknown
  try {
    body = readJson(answer.body)
  } catch {
    body = undefined
  }
  const renewed = renewedToken(sealed, body)
  const cookie = await context.reseal(renewed)
  if (cookie !== null) return noted(withCookie(json(visible(renewed)), cookie), { type: 'renew' })
  if (renewed.AccessToken !== sealed.AccessToken) await context.revokeUpstream(renewed, watch)
  return context.sessions.end(sealed, 'revoked', watch)
}
