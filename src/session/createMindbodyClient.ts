import defaultAxios, { type AxiosInstance } from 'axios'
import { httpError, toMindbodyError } from '../core/toMindbodyError'
import { checkConfig } from '../core/validate'
import type { TokenSession } from './createTokenSession'
import type { ResolvedMindbodyConfig } from '../core/types'

/**
 * An axios instance for any Mindbody endpoint of `config`'s site, sending the session's token.
 * A 401 ends the session with reason `'unauthorized'`; every failure is a `MindbodyError`.
 */
export function createMindbodyClient(config: ResolvedMindbodyConfig, session: TokenSession): AxiosInstance {
  const { baseURL, version, siteId, apiKey, authScheme, timeoutMs } = config
  const client = defaultAxios.create({
    baseURL: `${baseURL}/public/v${version}`,
    timeout: timeoutMs,
    adapter: config.axios?.defaults.adapter,
    transitional: { clarifyTimeoutError: true },
  })
  client.interceptors.request.use((request) => {
    checkConfig(config)
    const token = session.token()?.AccessToken
    request.headers.set('SiteId', String(siteId))
    if (apiKey) request.headers.set('Api-Key', apiKey)
    if (token) request.headers.set('Authorization', authScheme === 'raw' ? token : `Bearer ${token}`)
    if (config.session === 'server') request.headers.set('X-Mindbody-Proxy', '1')
    return request
  })
  client.interceptors.response.use(undefined, (error) => {
    const failure = error?.response
      ? httpError(
          error.response.status,
          error.response.data,
          [apiKey, session.token()?.AccessToken],
          error.response.headers,
        )
      : toMindbodyError(error)
    if (failure.status === 401) session.signOut('unauthorized')
    throw failure
  })
  return client
}
