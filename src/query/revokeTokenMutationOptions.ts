import type { QueryClient, UseMutationOptions } from '@tanstack/react-query'
import { createTokenCalls } from '../core/createUserTokenApi'
import { retryDelayAfter, retryWhenRetryable } from '../core/retryPolicy'
import { oneAtATime, takeTurn } from './tokenSlots'
import { getToken, setToken } from './userTokenQueryOptions'
import { userTokenKeys } from './userTokenKeys'
import type { MindbodyError } from '../core/MindbodyError'
import type { MindbodyConfig } from '../core/types'

/**
 * The sign-out mutation `useRevokeToken` is built from. It clears the shared token at once, then
 * revokes it on the server; a server failure is reported but the token stays cleared. With no
 * token it resolves without sending anything. A sign-in still in flight is overtaken: its token is
 * revoked when it arrives, never shown.
 *
 * `retry` and `retryDelay` (React Query's meaning, default: no retry) repeat only the server call, for
 * the token that was cleared, and only on a retryable failure, waiting at least `Retry-After`. They
 * are given here rather than to `useMutation`, whose retry would find the token already gone.
 *
 * @example
 * const signOut = useMutation(revokeTokenMutationOptions({ siteId: -99 }, queryClient, { retry: 3 }))
 */
export const revokeTokenMutationOptions = (
  config: MindbodyConfig,
  queryClient: QueryClient,
  retrying: Pick<UseMutationOptions<void, MindbodyError, void>, 'retry' | 'retryDelay'> = {},
): UseMutationOptions<void, MindbodyError, void> => ({
  mutationKey: [...userTokenKeys.token(config), 'revoke'],
  mutationFn: () => revokeToken(config, queryClient, retrying),
  retry: false,
})

/** Signs out: clears the token of `config` at once, then revokes it on the server, as sign-out does. */
export async function revokeToken(
  config: MindbodyConfig,
  queryClient: QueryClient,
  { retry, retryDelay }: Pick<UseMutationOptions<void, MindbodyError, void>, 'retry' | 'retryDelay'> = {},
) {
  takeTurn(config)
  const token = getToken(queryClient, config)
  if (!token) return
  setToken(queryClient, config, null)
  const api = createTokenCalls(config)
  const shouldRetry = retryWhenRetryable(retry)
  const delay = retryDelayAfter(retryDelay)
  for (let failures = 0; ; failures++) {
    try {
      return await oneAtATime(config, () => api.revoke(token.AccessToken))
    } catch (error) {
      if (!shouldRetry(failures, error as MindbodyError)) throw error
      await new Promise((resolve) => setTimeout(resolve, delay(failures, error as MindbodyError)))
    }
  }
}
