'use client'
import { useMutation, type UseMutationOptions } from '@tanstack/react-query'
import { useMindbodyContext, type MindbodyContextValue } from './MindbodyContext'
import { retryDelayAfter, retryWhenRetryable } from './retryPolicy'
import type { MindbodyError } from './core/MindbodyError'

type Options<TData, TVariables> = UseMutationOptions<TData, MindbodyError, TVariables>

/**
 * A `useMutation` over one of this library's option factories. The user's options come first and
 * the library's last, so they cannot be overridden; `onSettled` runs the library's, then the user's;
 * `retry` keeps the user's choice but repeats only retryable failures, and `retryDelay` waits at
 * least the answer's `Retry-After`.
 */
export function useMindbodyMutation<TData, TVariables>(
  hook: string,
  build: (context: MindbodyContextValue) => Options<TData, TVariables>,
  options: Omit<Options<TData, TVariables>, 'mutationFn' | 'mutationKey'>,
) {
  const context = useMindbodyContext(hook)
  const { queryClient } = context
  const own = build(context)
  const defaults = queryClient.getDefaultOptions().mutations
  return useMutation<TData, MindbodyError, TVariables>(
    {
      ...options,
      ...own,
      onSettled: (...args) => {
        own.onSettled?.(...args)
        return options.onSettled?.(...args)
      },
      retry: own.retry === false ? false : retryWhenRetryable(options.retry ?? defaults?.retry),
      retryDelay: retryDelayAfter(options.retryDelay ?? defaults?.retryDelay),
    },
    queryClient,
  )
}
