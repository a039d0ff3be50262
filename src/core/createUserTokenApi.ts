import defaultAxios, { type Method } from 'axios'
import { invalidResponse, parseToken } from './parseToken'
import { renewedToken } from './renewedToken'
import { resolveConfig } from './resolveConfig'
import { noteServerDate } from './serverClock'
import { httpError, toMindbodyError } from './toMindbodyError'
import { checkConfig, isHeaderValue, isText, need } from './validate'
import type {
  IssueRequest,
  IssueResponse,
  MindbodyConfig,
  RequestOptions,
  ResolvedMindbodyConfig,
  UserTokenApi,
} from './types'

/**
 * One request to Mindbody, or to the proxy in `session: 'server'` mode, under `config.baseURL`: the
 * body of a 2xx and its `Date` header, or a `MindbodyError`.
 */
export function createSender(config: ResolvedMindbodyConfig) {
  const { siteId, apiKey, baseURL, authScheme, timeoutMs, session, axios = defaultAxios } = config
  return async (
    method: Method,
    path: string,
    options?: RequestOptions,
    token?: string,
    data?: IssueRequest,
  ) => {
    if (token !== undefined && session !== 'server') need(isHeaderValue(token), 'accessToken')
    let response
    try {
      response = await axios.request({
        method,
        url: baseURL + path,
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
          'X-Mindbody-Proxy': session === 'server' ? '1' : undefined,
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
}

/**
 * Creates the React-free client for the three user-token endpoints. It throws an `'invalid-input'`
 * `MindbodyError` for a bad config; each call validates its own input and sends nothing when it is
 * bad. Every failure is a `MindbodyError`. With `session: 'server'` it talks to the `/server` proxy,
 * and its tokens have an empty `AccessToken`: the real one stays on the server.
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
  const send = createSender(resolved)
  const server = resolved.session === 'server'
  const path = (name: string) => `/public/v${resolved.version}/usertoken/${name}`

  return {
    async issue(request, options) {
      need(isText(request?.Username), 'Username')
      need(isText(request.Password, true), 'Password')
      const { Username, Password } = request
      const { body, date } = await send('POST', path('issue'), options, undefined, { Username, Password })
      const token = parseToken(body, server)
      noteServerDate(token, date)
      return token
    },
    async revoke(accessToken, options) {
      await send('DELETE', path('revoke'), options, accessToken)
    },
    async renew(token, options): Promise<IssueResponse> {
      const current: IssueResponse = typeof token === 'string' ? { AccessToken: token } : token
      need(current && typeof current === 'object', 'accessToken')
      const { body, date } = await send('POST', path('renew'), options, current.AccessToken)
      const renewed = renewedToken(current, body)
      noteServerDate(renewed, date)
      return renewed
    },
  }
}
