import type { MindbodyError } from './core/MindbodyError'

type Retry = boolean | number | ((failureCount: number, error: MindbodyError) => boolean) | undefined

/**
 * Wraps a React Query `retry` value so that only failures worth repeating are retried: network
 * errors, timeouts and 5xx. A 4xx, bad input, a bad response or an abort never is.
 */
export const retryUnless4xx =
  (retry: Retry = 0) =>
  (failureCount: number, error: MindbodyError): boolean =>
    (error.kind === 'network' || error.kind === 'timeout' || (error.status ?? 0) >= 500) &&
    (typeof retry === 'function'
      ? retry(failureCount, error)
      : retry === true || failureCount < Number(retry))
