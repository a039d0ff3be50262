import defaultAxios, { type AxiosInstance } from 'axios'
import { mindbodyHeaders } from '../core/mindbodyHeaders'
import { httpError } from '../core/httpError'
import { toMindbodyError } from '../core/toMindbodyError'
import { checkConfig } from '../core/modes'
import type { TokenSession } from './createTokenSession'
import type { ResolvedMindbodyConfig } from '../core/MindbodyConfig'

/**
 * An axios instance for any Mindbody endpoint of `config`'s site, sending the session's token.
 * A failure goes through the session's rule (a 401 ends it, `'unauthorized'`), as a `MindbodyError`.
 */
export function createMindbodyClient(config: ResolvedMindbodyConfig, session: TokenSession): AxiosInstance {
  const client = defaultAxios.create({
    baseURL: `${config.baseURL}/public/v${config.version}`,
    timeout: config.timeoutMs,
    adapter: config.axios?.defaults.adapter,
    transitional: { clarifyTimeoutError: true },
  })
  client.interceptors.request.use((request) => {
    checkConfig(config)
    for (const [name, value] of Object.entries(mindbodyHeaders(config, session.token()?.AccessToken)))
      if (value) request.headers.set(name, value)
    return request
  })
  client.interceptors.response.use(undefined, (error) => {
    const { response } = error ?? {}
    const failure = response
      ? httpError(
          response.status,
          response.data,
          [config.apiKey, session.token()?.AccessToken],
          response.headers,
        )
      : toMindbodyError(error)
    session.fail(failure)
    throw failure
  })
  return client
}
