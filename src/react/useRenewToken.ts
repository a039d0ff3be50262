'use client'
import type { UseMutationOptions, UseMutationResult } from '@tanstack/react-query'
import { useMindbodyMutation } from './useMindbodyMutation'
import { renewOptions } from '../query/renewTokenMutationOptions'
import type { MindbodyError } from '../core/MindbodyError'
import type { IssueResponse } from '../core/types'

/**
 * Options of `useRenewToken`: those of `useMutation`, less `mutationFn` and `mutationKey`.
 *
 * @example
 * const options: UseRenewTokenOptions = { onSuccess: (token) => console.info('renewed until', token.Expires) }
 */
export type UseRenewTokenOptions = Omit<
  UseMutationOptions<IssueResponse, MindbodyError, void>,
  'mutationFn' | 'mutationKey'
>

/**
 * React Query's `UseMutationResult` for renewing the token.
 *
 * @example
 * const renew: UseRenewTokenResult = useRenewToken()
 */
export type UseRenewTokenResult = UseMutationResult<IssueResponse, MindbodyError, void>

/**
 * Extends the current token's life (`POST /usertoken/renew`) and merges the answer into the shared
 * token: any 2xx is a renewal, and without a new `Expires` the old one moves on by 24 hours.
 * Concurrent calls share one request. Only a 401 signs out (reason `'unauthorized'`); any other
 * failure keeps the token, which may still be valid (a 403 can mean the renewal limit was reached).
 *
 * @example
 * const renew = useRenewToken()
 * <button onClick={() => renew.mutate()}>Stay signed in</button>
 */
export const useRenewToken = (options: UseRenewTokenOptions = {}): UseRenewTokenResult =>
  useMindbodyMutation(
    'useRenewToken',
    ({ config, queryClient, session }) => renewOptions(config, queryClient, () => session),
    options,
  )
