import { renewedToken } from '../core/renewedToken'
import type { ProxyContext } from './proxyContext'
import { json, passThrough, readAnswer, unreachable, unreadable, visible, withCookie } from './responses'
import type { SealedToken } from './sessionCookie'

/**
 * `POST …/usertoken/renew` for the cookie's token: any 2xx is a renewal, sealed into the cookie anew;
 * a 401 clears the cookie.
 */
export async function renewRoute(
  context: ProxyContext,
  sealed: SealedToken,
  siteId: string,
  version: string,
) {
  let response: Response
  try {
    response = await context.send(`${context.upstream}/public/v${version}/usertoken/renew`, {
      method: 'POST',
      headers: context.headers(siteId, sealed.AccessToken),
      redirect: 'manual',
    })
  } catch {
    return unreachable()
  }
  if (response.status === 401) return withCookie(await passThrough(response), context.clear(siteId))
  if (!response.ok) return passThrough(response)
  const answer = await readAnswer(response)
  if (!answer) return unreadable()
  let body: unknown
  try {
    body = JSON.parse(new TextDecoder().decode(answer))
  } catch {
    body = undefined
  }
  const renewed = renewedToken(sealed, body)
  return withCookie(json(visible(renewed)), await context.seal(renewed))
}
