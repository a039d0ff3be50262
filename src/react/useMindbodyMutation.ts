'use client'
import { useMutation, type UseMutationOptions } from '@tanstack/react-query'
import { useMindbodyContext, type MindbodyContextValue } from './MindbodyContext'
import { retryDelayAfter, retryWhenRetryable } from '../core/retryPolicy'
import type { MindbodyError } from '../core/MindbodyError'

type Options<TData, TVariables> = UseMutationOptions<TData, MindbodyError, TVariables>
type Retrying<TData, TVariables> = Pick<Options<TData, TVariables>, 'retry' | 'retryDelay'>

/**
 * A `useMutation` over one of this library's option factories. The user's options come first and
 * the library's last, so they cannot be overridden; `onSettled` runs the library's, then the user's;
 * `retry` keeps the user's choice (or the QueryClient's default) but repeats only retryable failures,
 * and `retryDelay` waits at least the answer's `Retry-After`. `build` gets that choice too, for a
 * factory that retries by itself.
 */
export function useMindbodyMutation<TData, TVariables>(
  hook: string,
  build: (context: MindbodyContextValue, retrying: Retrying<TData, TVariables>) => Options<TData, TVariables>,
  options: Omit<Options<TData, TVariables>, 'mutationFn' | 'mutationKey'>,
) {
  const context = useMindbodyContext(hook)
  const defaults = context.queryClient.getDefaultOptions().mutations
  const retrying: Retrying<TData, TVariables> = {
    retry: options.retry ?? defaults?.retry,
    retryDelay: options.retryDelay ?? defaults?.retryDelay,
  }
  const own = build(context, retrying)
  return useMutation<TData, MindbodyError, TVariables>(
    {
      ...options,
      ...own,
      onSettled: (...args) => {
        own.onSettled?.(...args)
        return options.onSettled?.(...args)
      },
      retry: own.retry === false ? false : retryWhenRetryable(retrying.retry),
      retryDelay: retryDelayAfter(retrying.retryDelay),
    },
    context.queryClient,
  )
}
