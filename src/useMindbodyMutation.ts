'use client'
import { useMutation, type UseMutationOptions } from '@tanstack/react-query'
import { useMindbodyContext, type MindbodyContextValue } from './MindbodyContext'
import { retryUnless4xx } from './retryUnless4xx'
import type { MindbodyError } from './core/MindbodyError'

type Options<TData, TVariables> = UseMutationOptions<TData, MindbodyError, TVariables>

/**
 * A `useMutation` over one of this library's option factories. The user's options come first and
 * the library's last, so they cannot be overridden; `onSettled` runs the library's, then the user's;
 * `retry` keeps the user's choice but never repeats a 4xx.
 */
export function useMindbodyMutation<TData, TVariables>(
  hook: string,
  build: (context: MindbodyContextValue) => Options<TData, TVariables>,
  options: Omit<Options<TData, TVariables>, 'mutationFn' | 'mutationKey'>,
) {
  const context = useMindbodyContext(hook)
  const { queryClient } = context
  const own = build(context)
  return useMutation<TData, MindbodyError, TVariables>(
    {
      ...options,
      ...own,
      onSettled: (...args) => {
        own.onSettled?.(...args)
        return options.onSettled?.(...args)
      },
      retry:
        own.retry === false
          ? false
          : retryUnless4xx(options.retry ?? queryClient.getDefaultOptions().mutations?.retry),
    },
    queryClient,
  )
}
