import type { QueryClient, UseMutationOptions } from '@tanstack/react-query'
import { retryDelayAfter, retryWhenRetryable } from '../core/retryPolicy'
import { actionsFor, type TokenActions } from '../session/tokenActions'
import { clientOf, getToken, setToken, type FactoryOptions } from './userTokenQueryOptions'
import { userTokenKeys } from './userTokenKeys'
import type { MindbodyError } from '../core/MindbodyError'
import type { IssueResponse } from '../core/types'
import type { MindbodyConfig } from '../core/MindbodyConfig'

/** The renew mutation over `actions`: the renewed token becomes the page's and the `QueryClient`'s. */
export const renewOptions = (
  config: MindbodyConfig,
  queryClient: QueryClient | undefined,
  actions: () => TokenActions,
): UseMutationOptions<IssueResponse, MindbodyError, void> => ({
  mutationKey: [...userTokenKeys.token(config), 'renew'],
  async mutationFn(_variables, context?: object) {
    const client = clientOf(queryClient, context)
    const session = actions()
    const current = session.token() ?? getToken(client, config)
    const token = await session.renew(current)
    if (getToken(client, config)?.AccessToken === current?.AccessToken) setToken(client, config, token)
    return token
  },
  retry: retryWhenRetryable(),
  retryDelay: retryDelayAfter(undefined),
})

/**
 * The renew mutation `useRenewToken` is built from, beside the issue and revoke factories: it extends
 * the current token's life (`POST /usertoken/renew`) and merges the answer into the shared token. Any
 * 2xx is a renewal; concurrent calls of the page share one request; only a 401 signs out.
 *
 * @example
 * const renew = useMutation(renewTokenMutationOptions({ siteId: -99 }, { queryClient }))
 */
export const renewTokenMutationOptions = (config: MindbodyConfig, { queryClient }: FactoryOptions = {}) =>
  renewOptions(config, queryClient, () => actionsFor(config))
