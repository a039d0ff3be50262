import { MindbodyError } from './MindbodyError'
import { problemOf } from './problemOf'
import { retryAfterMs } from './retryAfter'

interface ErrorBody {
  Message?: unknown
  Code?: unknown
  Error?: ErrorBody
  Errors?: ErrorBody[]
}

const str = (value: unknown) => (typeof value === 'string' && value ? value : undefined)

/**
 * Builds the `'http'` error for a non-2xx answer from its status, body and headers, and its `problem`
 * (`onIssue`: the answer is to `usertoken/issue`). A body that echoes one of `secrets` (the password,
 * API key or token just sent) is dropped, message and all. An empty value is no secret (server mode's
 * token is `''`): every body holds it.
 */
export function httpError(
  status: number,
  data: unknown,
  secrets: unknown[] = [],
  headers?: Record<string, unknown>,
  onIssue?: boolean,
): MindbodyError {
  const body = typeof data === 'object' && data ? (data as ErrorBody) : undefined
  const envelope = body?.Error ?? (Array.isArray(body?.Errors) ? body.Errors[0] : body)
  const echoed = secrets.some(
    (secret) => typeof secret === 'string' && secret !== '' && JSON.stringify(body ?? '').includes(secret),
  )
  const code = str(envelope?.Code)
  const message = str(envelope?.Message)
  return new MindbodyError('http', (!echoed && message) || `HTTP ${status}`, {
    status,
    code,
    details: echoed ? undefined : body,
    retryAfterMs: retryAfterMs(headers?.['retry-after']),
    problem: problemOf(status, code, message, onIssue),
  })
}
