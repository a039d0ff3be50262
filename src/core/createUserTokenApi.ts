import defaultAxios, { type Method } from 'axios'
import { clockSkew } from './clockSkew'
import { mindbodyHeaders } from './mindbodyHeaders'
import { checkConfig, modeOf } from './modes'
import { invalidResponse, parseToken } from './parseToken'
import { renewedToken } from './renewedToken'
import { resolveConfig } from './resolveConfig'
import { httpError } from './httpError'
import { toMindbodyError } from './toMindbodyError'
import { isText, need } from './validate'
import type { ArrivedToken, IssueRequest, IssueResponse, RequestOptions, UserTokenApi } from './types'
import type { MindbodyConfig, ResolvedMindbodyConfig } from './MindbodyConfig'

/**
 * One request to Mindbody, or to the `/server` proxy in server mode, under `config.baseURL`: the
 * body of a 2xx and the server clock's skew its `Date` header shows, or a `MindbodyError`. The
 * body's `Password`, `Pin` and `CurrentPin` are secrets: an error answer that echoes one is dropped.
 */
export function createSender(config: ResolvedMindbodyConfig) {
  const { baseURL, timeoutMs, axios = defaultAxios } = config
  const mode = modeOf(config)
  return async (method: Method, path: string, options?: RequestOptions, token?: string, data?: object) => {
    mode.checkToken(token)
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
          ...mindbodyHeaders(config, token),
        },
      })
    } catch (error) {
      throw toMindbodyError(error)
    }
    const { status, data: body, headers } = response
    const { Password, Pin, CurrentPin } = (data ?? {}) as Record<string, unknown>
    if (status >= 400)
      throw httpError(
        status,
        body,
        [Password, Pin, CurrentPin, config.apiKey, token],
        headers,
        path.endsWith('/issue'),
      )
    if (status >= 300) throw invalidResponse()
    return { body: body as unknown, skew: clockSkew(headers?.['date']) }
  }
}

/**
 * The three user-token calls under `createUserTokenApi`, each token answered as it arrived: with the
 * server clock's skew, which the session times expiry by.
 */
export function createTokenCalls(config: MindbodyConfig) {
  need(config && typeof config === 'object', 'config')
  const resolved = resolveConfig(config)
  checkConfig(resolved)
  const send = createSender(resolved)
  const { hidesToken } = modeOf(resolved)
  const path = (name: string) => `/public/v${resolved.version}/usertoken/${name}`

  return {
    async issue(request: IssueRequest, options?: RequestOptions): Promise<ArrivedToken> {
      need(isText(request?.Username), 'Username')
      need(isText(request.Password, true), 'Password')
      const { Username, Password } = request
      const { body, skew } = await send('POST', path('issue'), options, undefined, { Username, Password })
      return { token: parseToken(body, hidesToken), skew }
    },
    async revoke(accessToken: string, options?: RequestOptions): Promise<void> {
      await send('DELETE', path('revoke'), options, accessToken)
    },
    async renew(token: IssueResponse | string, options?: RequestOptions): Promise<ArrivedToken> {
      const current: IssueResponse = typeof token === 'string' ? { AccessToken: token } : token
      need(current && typeof current === 'object', 'accessToken')
      const { body, skew } = await send('POST', path('renew'), options, current.AccessToken)
      return { token: renewedToken(current, body), skew }
    },
  }
}

/**
 * Creates the React-free client for the three user-token endpoints. It throws an `'invalid-input'`
 * `MindbodyError` for a bad config; each call validates its own input and sends nothing when it is
 * bad. Every failure is a `MindbodyError`. With `mode: 'server'` it talks to the `/server` proxy,
 * and its tokens have an empty `AccessToken`: the real one stays on the server.
 *
 * @example
 * const api = createUserTokenApi({ siteId: -99, apiKey: process.env.MINDBODY_API_KEY })
 * const token = await api.issue({ Username: 'ada', Password: '…' })
 * const renewed = await api.renew(token) // any 2xx: Expires moves on by 24 h unless the answer says otherwise
 * await api.revoke(renewed.AccessToken)
 */
export function createUserTokenApi(config: MindbodyConfig): UserTokenApi {
  const { issue, revoke, renew } = createTokenCalls(config)
  const tokenOf = ({ token }: ArrivedToken) => token
  return {
    issue: (request, options) => issue(request, options).then(tokenOf),
    revoke,
    renew: (token, options) => renew(token, options).then(tokenOf),
  }
}
