import type { QueryClient, UseMutationOptions } from '@tanstack/react-query'
import { actionsFor, type TokenActions } from '../session/tokenActions'
import { clientOf, getToken, setToken, type FactoryOptions } from './userTokenQueryOptions'
import { userTokenKeys } from './userTokenKeys'
import type { RetryOptions } from '../core/retryPolicy'
import type { MindbodyError } from '../core/MindbodyError'
import type { MindbodyConfig } from '../core/MindbodyConfig'

/**
 * The sign-out mutation over `actions`: the token is cleared at once (in the page and in the
 * `QueryClient`), then revoked on the server, retried as `retrying` says.
 */
export const signOutOptions = (
  config: MindbodyConfig,
  queryClient: QueryClient | undefined,
  actions: () => TokenActions,
  retrying: RetryOptions = {},
): UseMutationOptions<void, MindbodyError, void> => ({
  mutationKey: [...userTokenKeys.token(config), 'revoke'],
  mutationFn(_variables, context?: object) {
    const client = clientOf(queryClient, context)
    const session = actions()
    const done = session.signOut('revoked', session.token() ?? getToken(client, config), retrying)
    setToken(client, config, null)
    return done
  },
  retry: false,
})

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
 * const signOut = useMutation(revokeTokenMutationOptions({ siteId: -99 }, { queryClient, retry: 3 }))
 */
export const revokeTokenMutationOptions = (
  config: MindbodyConfig,
  { queryClient, ...retrying }: FactoryOptions & RetryOptions = {},
) => signOutOptions(config, queryClient, () => actionsFor(config), retrying)
