'use client'
import type { UseMutationOptions, UseMutationResult } from '@tanstack/react-query'
import { signOutOptions } from '../query/revokeTokenMutationOptions'
import { useMindbodyMutation } from './useMindbodyMutation'
import type { MindbodyError } from '../core/MindbodyError'

/**
 * Options of `useRevokeToken`: those of `useMutation`, less `mutationFn` and `mutationKey`. `retry`
 * repeats only the server call, never the local sign-out.
 *
 * @example
 * const options: UseRevokeTokenOptions = { retry: 2, onSettled: () => navigate('/sign-in') }
 */
export type UseRevokeTokenOptions = Omit<
  UseMutationOptions<void, MindbodyError, void>,
  'mutationFn' | 'mutationKey'
>

/**
 * React Query's `UseMutationResult` for sign-out.
 *
 * @example
 * const signOut: UseRevokeTokenResult = useRevokeToken()
 */
export type UseRevokeTokenResult = UseMutationResult<void, MindbodyError, void>

/**
 * Signs out: clears the shared token at once, then revokes it on the server. If the server fails,
 * you stay signed out locally and the error is reported. With no token, nothing is sent. With `retry`,
 * a network error, timeout, 5xx, 408 or 429 is tried again for the cleared token.
 *
 * @example
 * const signOut = useRevokeToken()
 * <button onClick={() => signOut.mutate()} disabled={signOut.isPending}>Sign out</button>
 */
export const useRevokeToken = (options: UseRevokeTokenOptions = {}): UseRevokeTokenResult =>
  useMindbodyMutation(
    'useRevokeToken',
    ({ config, queryClient, session }, retrying) =>
      signOutOptions(config, queryClient, () => session, retrying),
    options,
  )
