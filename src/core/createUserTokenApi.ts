import defaultAxios, { type Method } from 'axios'
import { invalidResponse, parseToken } from './parseToken'
import { resolveConfig } from './resolveConfig'
import { httpError, toMindbodyError } from './toMindbodyError'
import { checkConfig, isHeaderValue, isText, need } from './validate'
import type { IssueRequest, IssueResponse, MindbodyConfig, RequestOptions, UserTokenApi } from './types'

/**
 * Creates the React-free client for the three user-token endpoints. It throws an `'invalid-input'`
 * `MindbodyError` for a bad config; each call validates its own input and sends nothing when it is
 * bad. Every failure is a `MindbodyError`.
 *
 * @example
 * const api = createUserTokenApi({ siteId: -99, apiKey: process.env.MINDBODY_API_KEY })
 * const { AccessToken, User } = await api.issue({ Username: 'ada', Password: '…' })
 * await api.revoke(AccessToken)
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
          'Content-Type': data && 'application/json',
          SiteId: String(siteId),
          'Api-Key': apiKey,
          Authorization: token && (authScheme === 'raw' ? token : `Bearer ${token}`),
        },
      })
    } catch (error) {
      throw toMindbodyError(error)
    }
    const { status, data: body } = response
    if (status >= 400) throw httpError(status, body, [data?.Password, apiKey, token])
    if (status >= 300) throw invalidResponse()
    return body as unknown
  }

  return {
    async issue(request, options) {
      need(isText(request?.Username), 'Username')
      need(isText(request.Password, true), 'Password')
      const { Username, Password } = request
      return parseToken(await send('POST', 'issue', options, undefined, { Username, Password }))
    },
    async revoke(accessToken, options) {
      await send('DELETE', 'revoke', options, accessToken)
    },
    async renew(accessToken, options): Promise<IssueResponse> {
      const renewed = parseToken(await send('POST', 'renew', options, accessToken), true)
      return { AccessToken: accessToken, ...(renewed as Partial<IssueResponse>) }
    },
  }
}
