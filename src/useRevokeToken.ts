'use client'
import type { UseMutationOptions, UseMutationResult } from '@tanstack/react-query'
import { revokeTokenMutationOptions } from './revokeTokenMutationOptions'
import { useMindbodyMutation } from './useMindbodyMutation'
import type { MindbodyError } from './core/MindbodyError'

/**
 * Options of `useRevokeToken`: those of `useMutation`, less `mutationFn`, `mutationKey` and retries.
 *
 * @example
 * const options: UseRevokeTokenOptions = { onSettled: () => navigate('/sign-in') }
 */
export type UseRevokeTokenOptions = Omit<
  UseMutationOptions<void, MindbodyError, void>,
  'mutationFn' | 'mutationKey' | 'retry' | 'retryDelay'
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
 * you stay signed out locally and the error is reported. With no token, nothing is sent.
 *
 * @example
 * const signOut = useRevokeToken()
 * <button onClick={() => signOut.mutate()} disabled={signOut.isPending}>Sign out</button>
 */
export const useRevokeToken = (options: UseRevokeTokenOptions = {}): UseRevokeTokenResult =>
  useMindbodyMutation('useRevokeToken', (c) => revokeTokenMutationOptions(c.config, c.queryClient), options)
