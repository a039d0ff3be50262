import type { QueryClient, UseMutationOptions } from '@tanstack/react-query'
import { createUserTokenApi } from './core/createUserTokenApi'
import { takeTurn } from './tokenSlots'
import { getToken, setToken } from './userTokenQueryOptions'
import { userTokenKeys } from './userTokenKeys'
import type { MindbodyError } from './core/MindbodyError'
import type { MindbodyConfig } from './core/types'

/**
 * The sign-out mutation `useRevokeToken` is built from. It clears the shared token at once, then
 * revokes it on the server; a server failure is reported but the token stays cleared. With no
 * token it resolves without sending anything. A sign-in still in flight is overtaken: its token is
 * revoked when it arrives, never shown. It is never retried: the token is already gone here.
 *
 * @example
 * const signOut = useMutation(revokeTokenMutationOptions({ siteId: -99 }, queryClient))
 */
export const revokeTokenMutationOptions = (
  config: MindbodyConfig,
  queryClient: QueryClient,
): UseMutationOptions<void, MindbodyError, void> => ({
  mutationKey: [...userTokenKeys.token(config), 'revoke'],
  async mutationFn() {
    takeTurn(queryClient, config)
    const token = getToken(queryClient, config)
    if (!token) return
    setToken(queryClient, config, null)
    await createUserTokenApi(config).revoke(token.AccessToken)
  },
  retry: false,
})
