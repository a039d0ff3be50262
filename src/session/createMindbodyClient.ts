import defaultAxios, { type AxiosInstance } from 'axios'
import { mindbodyHeaders } from '../core/mindbodyHeaders'
import { httpError } from '../core/httpError'
import { toMindbodyError } from '../core/toMindbodyError'
import { checkConfig } from '../core/modes'
import type { TokenSession } from './createTokenSession'
import type { ResolvedMindbodyConfig } from '../core/MindbodyConfig'

const APPROVAL = 'X-Mindbody-Approval'

/**
 * An axios instance for any Mindbody endpoint of `config`'s site, sending the session's token.
 * A failure goes through the session's rule (a 401 ends it, `'unauthorized'`), as a `MindbodyError`.
 * A call the `/server` proxy holds for an approval waits for it while the page shows approvals
 * (`pageApproval.ts`), then is sent again, once, with the approval's id in `X-Mindbody-Approval`.
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
    const { response, config: request } = error ?? {}
    const failure = response
      ? httpError(
          response.status,
          response.data,
          [config.apiKey, session.token()?.AccessToken],
          response.headers,
        )
      : toMindbodyError(error)
    const approved =
      response && !request.headers.has(APPROVAL) && session.record.approval?.wait?.(failure, request)
    if (approved)
      return approved.then((id: string) => {
        request.headers.set(APPROVAL, id)
        return client.request(request)
      })
    session.fail(failure)
    throw failure
  })
  return client
}
