'use client'
import { useCallback } from 'react'
import type { MutateOptions, UseMutationOptions, UseMutationResult } from '@tanstack/react-query'
import { signInOptions } from '../query/issueTokenMutationOptions'
import { sealCredentials, type IssueTokenVariables } from '../query/credentials'
import { useMindbodyMutation } from './useMindbodyMutation'
import type { MindbodyError } from '../core/MindbodyError'
import type { IssueRequest, IssueResponse } from '../core/types'

/**
 * Options of `useIssueToken`: those of `useMutation`, less `mutationFn` and `mutationKey`.
 *
 * @example
 * const options: UseIssueTokenOptions = { retry: 1, onError: (error) => report(error.kind) }
 */
export type UseIssueTokenOptions = Omit<
  UseMutationOptions<IssueResponse, MindbodyError, IssueTokenVariables>,
  'mutationFn' | 'mutationKey'
>

/**
 * React Query's `UseMutationResult` for sign-in. `mutate` takes `{ Username, Password }`, while
 * `variables` (and every callback) sees only `{ Username }`: the password is never kept.
 *
 * @example
 * const signIn: UseIssueTokenResult = useIssueToken()
 * signIn.mutate({ Username, Password })
 */
export type UseIssueTokenResult =
  UseMutationResult<IssueResponse, MindbodyError, IssueTokenVariables> extends infer R
    ? R extends unknown
      ? Omit<R, 'mutate' | 'mutateAsync'> & {
          /** Signs in. Errors go to `error` and `onError`; nothing is thrown. */
          mutate: (request: IssueRequest, options?: SignInOptions) => void
          /** Signs in and returns the token; rejects with a `MindbodyError`. */
          mutateAsync: (request: IssueRequest, options?: SignInOptions) => Promise<IssueResponse>
        }
      : never
    : never

/** @inline */
type SignInOptions = MutateOptions<IssueResponse, MindbodyError, IssueTokenVariables>

/**
 * Signs a staff member in. On success the token becomes the shared token that `useUserToken`
 * reads, before your callbacks run. Nothing is retried unless `retry` asks, and then only what can
 * pass: no answer, a timeout, a 5xx, a 408 or a 429; never another 4xx.
 *
 * @example
 * const signIn = useIssueToken({ onSuccess: (token) => navigate('/home') })
 * signIn.mutate({ Username: 'ada', Password: password })
 * // A wrong password is a 403 (Mindbody says DeniedAccess for a bad API key too, with a 401):
 * if (signIn.error?.status === 403) … // signIn.error.message is Mindbody's own sentence
 */
export function useIssueToken(options: UseIssueTokenOptions = {}): UseIssueTokenResult {
  const mutation = useMindbodyMutation(
    'useIssueToken',
    ({ config, queryClient, session }) => signInOptions(config, queryClient, () => session),
    options,
  )
  const { mutate, mutateAsync } = mutation
  return {
    ...mutation,
    mutate: useCallback((request, opts) => mutate(sealCredentials(request) as IssueRequest, opts), [mutate]),
    mutateAsync: useCallback(
      (request, opts) => mutateAsync(sealCredentials(request) as IssueRequest, opts),
      [mutateAsync],
    ),
  } as UseIssueTokenResult
}
