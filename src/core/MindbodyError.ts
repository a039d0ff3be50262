import type { MindbodyProblem } from './problemOf'

/**
 * What went wrong, in one word:
 * - `'invalid-input'`: a bad credential or config; nothing was sent.
 * - `'http'`: Mindbody answered with an error status (`status`, `code`, and `retryAfterMs` on a 429 or
 *   503 that says when to come back).
 * - `'network'`: no answer at all (server down, offline, CORS).
 * - `'timeout'`: no answer within `timeoutMs`.
 * - `'aborted'`: the request's `AbortSignal` fired, or the approval it waited for was cancelled
 *   (`useApproval().cancel`; `code` is then `'ApprovalCancelled'`).
 * - `'invalid-response'`: a success status whose body is not what Mindbody sends.
 *
 * @example
 * const noAnswer = (kind: MindbodyErrorKind) => kind === 'network' || kind === 'timeout'
 */
export type MindbodyErrorKind =
  'invalid-input' | 'http' | 'network' | 'timeout' | 'aborted' | 'invalid-response'

/**
 * The one error type every call and hook of this library fails with. It never carries the request,
 * so no password, API key or token can leak through it.
 *
 * @example
 * if (error.problem === 'wrong-credentials') showWrongPassword()
 * if (error.problem === 'site-not-activated') showActivationLink()
 */
export class MindbodyError extends Error {
  override readonly name = 'MindbodyError'
  /** What went wrong; see `MindbodyErrorKind`. */
  declare readonly kind: MindbodyErrorKind
  /** The HTTP status, when Mindbody answered. */
  declare readonly status?: number
  /** Mindbody's `Error.Code`, such as `'DeniedAccess'`. */
  declare readonly code?: string
  /** The parsed JSON body of the response, when there was one. Never the request. */
  declare readonly details?: unknown
  /** How long the answer's `Retry-After` header asked to wait, in ms (from seconds or an HTTP date). */
  declare readonly retryAfterMs?: number
  /**
   * What a person can do something about, read from the answer's status, code and message; `undefined`
   * when nothing is known. See `MindbodyProblem`.
   */
  declare readonly problem?: MindbodyProblem

  constructor(
    kind: MindbodyErrorKind,
    message: string,
    fields: {
      status?: number
      code?: string
      details?: unknown
      retryAfterMs?: number
      problem?: MindbodyProblem
    } = {},
  ) {
    super(message)
    const { status, code, details, retryAfterMs, problem } = fields
    Object.assign(
      this,
      { kind },
      status && { status },
      code && { code },
      details !== undefined && { details },
      retryAfterMs !== undefined && { retryAfterMs },
      problem && { problem },
    )
  }

  /** A plain object for logs and `JSON.stringify`. */
  toJSON() {
    const { name, kind, message, status, code, details, retryAfterMs, problem } = this
    return { name, kind, message, status, code, details, retryAfterMs, problem }
  }
}

/**
 * Tells whether a value is a `MindbodyError`.
 *
 * @example
 * onError: (e) => { if (isMindbodyError(e) && e.status === 401) signIn() }
 */
export const isMindbodyError = (value: unknown): value is MindbodyError => value instanceof MindbodyError
