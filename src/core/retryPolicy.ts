import type { MindbodyError } from './MindbodyError'

type Retry = RetryOptions['retry']
type RetryDelay = RetryOptions['retryDelay']

/** The longest wait a `Retry-After` can impose. */
const RETRY_AFTER_CAP_MS = 60_000

/**
 * Whether a failure is worth repeating: no answer, a timeout, a 5xx, a 408 or a 429. Any other 4xx,
 * bad input, a bad response or an abort never is.
 */
export const isRetryable = ({ kind, status = 0 }: MindbodyError): boolean =>
  kind === 'network' || kind === 'timeout' || status >= 500 || status === 408 || status === 429

/** `ms`, or the answer's `Retry-After` (at most 60 s) when that is longer. */
const atLeastRetryAfter = (error: MindbodyError, ms: number): number =>
  Math.max(ms, Math.min(error.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS))

/**
 * The one wait before a next try, for the hooks' retries and auto-renew alike: exponential from about
 * 1 s, with jitter, at most a minute, and never shorter than the answer's `Retry-After`.
 */
export const backoff = (failureCount: number, error: MindbodyError): number =>
  atLeastRetryAfter(error, Math.min(1000 * 2 ** failureCount, 60_000) * (0.75 + Math.random() / 2))

/** Wraps a React Query `retry` value so that only retryable failures are ever repeated. */
export const retryWhenRetryable =
  (retry: Retry = 0) =>
  (failureCount: number, error: MindbodyError): boolean =>
    isRetryable(error) &&
    (typeof retry === 'function'
      ? retry(failureCount, error)
      : retry === true || failureCount < Number(retry))

/** Wraps a React Query `retryDelay` (default: `backoff`) so that it honours `Retry-After`. */
export const retryDelayAfter =
  (retryDelay: RetryDelay) =>
  (failureCount: number, error: MindbodyError): number =>
    retryDelay === undefined
      ? backoff(failureCount, error)
      : atLeastRetryAfter(
          error,
          typeof retryDelay === 'function' ? retryDelay(failureCount, error) : retryDelay,
        )

/**
 * React Query's `retry` and `retryDelay`, for a call that retries by itself. Only a retryable failure
 * is ever repeated, and never sooner than the answer's `Retry-After`.
 *
 * @example
 * const options: RetryOptions = { retry: 3 }
 */
export interface RetryOptions {
  /** How many times to try again (`true`: for ever), or a function of the failure count and error. */
  retry?: boolean | number | ((failureCount: number, error: MindbodyError) => boolean)
  /** The wait in ms before the next try, or a function of the failure count and error. Default: backoff. */
  retryDelay?: number | ((failureCount: number, error: MindbodyError) => number)
}
