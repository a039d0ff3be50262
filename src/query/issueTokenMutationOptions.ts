import type { QueryClient, UseMutationOptions } from '@tanstack/react-query'
import { createTokenCalls } from '../core/createUserTokenApi'
import { forget, unseal } from './credentials'
import { retryDelayAfter, retryWhenRetryable } from '../core/retryPolicy'
import { clientOf, isLatestTurn, oneAtATime, takeTurn } from './tokenSlots'
import { setArrivedToken } from './userTokenQueryOptions'
import { userTokenKeys } from './userTokenKeys'
import { MindbodyError } from '../core/MindbodyError'
import type { IssueRequest, IssueResponse, MindbodyConfig } from '../core/types'

/**
 * The sign-in mutation `useIssueToken` is built from: it issues a token and, on success, makes it
 * the shared token before any callback runs. Failures change nothing. The last action wins: a sign-in
 * overtaken by a later sign-in or sign-out fails with `'aborted'`, and its late token is revoked.
 *
 * Passing `{ Username, Password }` to `mutate` of your own `useMutation` keeps the password in the
 * mutation's `variables` until it is garbage-collected; `useIssueToken` does not, so prefer it.
 * Pass the `QueryClient` on `@tanstack/react-query` before 5.89; later versions hand it over themselves.
 *
 * @example
 * const signIn = useMutation(issueTokenMutationOptions({ siteId: -99 }, queryClient))
 */
export const issueTokenMutationOptions = (
  config: MindbodyConfig,
  queryClient?: QueryClient,
): UseMutationOptions<IssueResponse, MindbodyError, IssueRequest> => ({
  mutationKey: [...userTokenKeys.token(config), 'issue'],
  async mutationFn(variables, context?: object) {
    const client = clientOf(queryClient, context)
    const turn = takeTurn(config)
    const api = createTokenCalls(config)
    const request = unseal(variables)
    const arrived = await oneAtATime(config, async () => {
      const issued = await api.issue(request)
      if (isLatestTurn(config, turn)) return issued
      // Overtaken: revoke it, in server mode before the next call may set the cookie again.
      const revoked = api.revoke(issued.token.AccessToken).catch(() => {})
      if (config.mode === 'server') await revoked
      throw new MindbodyError('aborted', 'Sign-in overtaken by a later sign-in or sign-out')
    })
    setArrivedToken(client, config, arrived)
    return arrived.token
  },
  onSettled: (_data, _error, variables) => void forget(variables),
  retry: retryWhenRetryable(),
  retryDelay: retryDelayAfter(undefined),
})
