import type { QueryClient, UseMutationOptions } from '@tanstack/react-query'
import { forget, unseal } from './credentials'
import { retryDelayAfter, retryWhenRetryable } from '../core/retryPolicy'
import { actionsFor, type TokenActions } from '../session/tokenActions'
import { clientOf, setToken, type FactoryOptions } from './userTokenQueryOptions'
import { userTokenKeys } from './userTokenKeys'
import type { MindbodyError } from '../core/MindbodyError'
import type { IssueRequest, IssueResponse } from '../core/types'
import type { MindbodyConfig } from '../core/MindbodyConfig'

/** The sign-in mutation over `actions` (a provider's session, or the page's sign-in of `config`). */
export const signInOptions = (
  config: MindbodyConfig,
  queryClient: QueryClient | undefined,
  actions: () => TokenActions,
): UseMutationOptions<IssueResponse, MindbodyError, IssueRequest> => ({
  mutationKey: [...userTokenKeys.token(config), 'issue'],
  async mutationFn(variables, context?: object) {
    const client = clientOf(queryClient, context)
    const token = await actions().signIn(unseal(variables))
    setToken(client, config, token)
    return token
  },
  onSettled: (_data, _error, variables) => void forget(variables),
  retry: retryWhenRetryable(),
  retryDelay: retryDelayAfter(undefined),
})

/**
 * The sign-in mutation `useIssueToken` is built from: it issues a token and, on success, makes it
 * the page's token (and the `QueryClient`'s) before any callback runs. Failures change nothing. The
 * last action wins: a sign-in overtaken by a later sign-in or sign-out fails with `'aborted'`, and
 * its late token is revoked.
 *
 * Passing `{ Username, Password }` to `mutate` of your own `useMutation` keeps the password in the
 * mutation's `variables` until it is garbage-collected; `useIssueToken` does not, so prefer it.
 *
 * @example
 * const signIn = useMutation(issueTokenMutationOptions({ siteId: -99 }, { queryClient }))
 */
export const issueTokenMutationOptions = (config: MindbodyConfig, { queryClient }: FactoryOptions = {}) =>
  signInOptions(config, queryClient, () => actionsFor(config))
