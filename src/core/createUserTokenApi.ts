import defaultAxios, { type Method } from 'axios'
import { expiresAt } from './expiresAt'
import { invalidResponse, parseRenewal, parseToken } from './parseToken'
import { resolveConfig } from './resolveConfig'
import { noteServerDate } from './serverClock'
import { httpError, toMindbodyError } from './toMindbodyError'
import { checkConfig, isHeaderValue, isText, need } from './validate'
import type { IssueRequest, IssueResponse, MindbodyConfig, RequestOptions, UserTokenApi } from './types'

/** How much one renewal adds to a token's life, as Mindbody documents it. */
const RENEWAL_MS = 24 * 60 * 60 * 1000

/**
 * Creates the React-free client for the three user-token endpoints. It throws an `'invalid-input'`
 * `MindbodyError` for a bad config; each call validates its own input and sends nothing when it is
 * bad. Every failure is a `MindbodyError`.
 *
 * @example
 * const api = createUserTokenApi({ siteId: -99, apiKey: process.env.MINDBODY_API_KEY })
 * const token = await api.issue({ Username: 'ada', Password: '…' })
 * const renewed = await api.renew(token) // any 2xx: Expires moves on by 24 h unless the answer says otherwise
 * await api.revoke(renewed.AccessToken)
 */
export function createUserTokenApi(config: MindbodyConfig): UserTokenApi {
  need(config && typeof config === 'object', 'config')
  const resolved = resolveConfig(config)
  checkConfig(resolved)
  const { siteId, version, apiKey, baseURL, authScheme, timeoutMs, axios = defaultAxios } = resolved

  const send = async (
    method: Method,
    path: string,
    options?: RequestOptions,
    token?: string,
    data?: IssueRequest,
  ) => {
    if (token !== undefined) need(isHeaderValue(token), 'accessToken')
    let response
    try {
      response = await axios.request({
        method,
        url: `${baseURL}/public/v${version}/usertoken/${path}`,
        data,
        signal: options?.signal,
        timeout: timeoutMs,
        transitional: { clarifyTimeoutError: true },
        maxRedirects: 0,
        validateStatus: null,
        headers: {
          Accept: 'application/json',
          // false, not undefined: axios would otherwise label an empty POST as a form.
          'Content-Type': data ? 'application/json' : false,
          SiteId: String(siteId),
          'Api-Key': apiKey,
          Authorization: token && (authScheme === 'raw' ? token : `Bearer ${token}`),
        },
      })
    } catch (error) {
      throw toMindbodyError(error)
    }
    const { status, data: body, headers } = response
    if (status >= 400) throw httpError(status, body, [data?.Password, apiKey, token], headers)
    if (status >= 300) throw invalidResponse()
    return { body: body as unknown, date: headers?.['date'] as unknown }
  }

  return {
    async issue(request, options) {
      need(isText(request?.Username), 'Username')
      need(isText(request.Password, true), 'Password')
      const { Username, Password } = request
      const { body, date } = await send('POST', 'issue', options, undefined, { Username, Password })
      const token = parseToken(body)
      noteServerDate(token, date)
      return token
    },
    async revoke(accessToken, options) {
      await send('DELETE', 'revoke', options, accessToken)
    },
    async renew(token, options): Promise<IssueResponse> {
      const current: IssueResponse = typeof token === 'string' ? { AccessToken: token } : token
      need(current && typeof current === 'object', 'accessToken')
      const { body, date } = await send('POST', 'renew', options, current.AccessToken)
      const answer = parseRenewal(body)
      const before = expiresAt(current)
      const renewed: IssueResponse = {
        ...current,
        ...answer,
        ...(!answer.Expires && before !== null && { Expires: new Date(before + RENEWAL_MS).toISOString() }),
      }
      noteServerDate(renewed, date)
      return renewed
    },
  }
}
