import { isAxiosError, isCancel } from 'axios'
import { MindbodyError } from './MindbodyError'

/**
 * Turns anything a request threw into a `MindbodyError`. The axios error itself is dropped:
 * its `config` holds the request headers and body, secrets included.
 */
export function toMindbodyError(error: unknown): MindbodyError {
  if (error instanceof MindbodyError) return error
  if (isCancel(error)) return new MindbodyError('aborted', 'Request aborted')
  if (isAxiosError(error) && error.code === 'ETIMEDOUT')
    return new MindbodyError('timeout', 'Request timed out')
  return new MindbodyError('network', 'Network error: Mindbody could not be reached')
}
