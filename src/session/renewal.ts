import type { QueryClient } from '@tanstack/react-query'
import { createTokenCalls } from '../core/createUserTokenApi'
import { need } from '../core/validate'
import { oneAtATime } from '../query/tokenSlots'
import { setArrivedToken } from '../query/userTokenQueryOptions'
import type { IssueResponse, ResolvedMindbodyConfig } from '../core/types'

/**
 * Renews the session's token; concurrent calls share one request. Any 2xx is a renewal: the answer's
 * valid fields are merged over the token, and a missing `Expires` moves on by 24 hours. A failure
 * goes through the session's rule (`fail`: a 401 ends it) while the token is still the one renewed.
 */
export function createRenewal(
  queryClient: QueryClient,
  config: ResolvedMindbodyConfig,
  token: () => IssueResponse | null,
  fail: (error: unknown) => void,
) {
  let renewing: Promise<IssueResponse> | undefined
  const run = async () => {
    const current = token()
    need(current, 'accessToken: nobody is signed in')
    const isHeld = () => token()?.AccessToken === current.AccessToken
    try {
      const arrived = await oneAtATime(config, () => createTokenCalls(config).renew(current))
      if (isHeld()) setArrivedToken(queryClient, config, arrived)
      return arrived.token
    } catch (error) {
      if (isHeld()) fail(error)
      throw error
    }
  }
  return (): Promise<IssueResponse> => (renewing ??= run().finally(() => (renewing = undefined)))
}
