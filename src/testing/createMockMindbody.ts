import type { HttpHandler } from 'msw'
import { mockHandlers } from './mockHandlers'
import type { MockEndpoint, MockFailure, MockMindbodyOptions, MockRenewAnswer } from './mockOptions'
import { createMockState } from './mockState'

/**
 * A stateful stand-in for Mindbody's user-token endpoints, for MSW.
 *
 * @example
 * const mindbody: MockMindbody = createMockMindbody()
 * expect(mindbody.isValid(token.AccessToken)).toBe(true)
 */
export interface MockMindbody {
  /**
   * Give these to `setupServer(...)` or `setupWorker(...)`, or to msw-storybook-addon, after any
   * handlers of your own: the last one answers every other call under `/public/v{n}/` with Mindbody's
   * JSON 404 (`{"Error":{"Message":…,"Code":"NotFound"}}`), so a handler placed after it is never reached.
   */
  handlers: HttpHandler[]
  /** Fails every call (or those to `endpoints`) with `failure`; `null` heals. */
  fail(failure: MockFailure | null, endpoints?: MockEndpoint[]): void
  /** Whether the server would accept this token now (for this site, when given). */
  isValid(accessToken: string, siteId?: string | number): boolean
  /** When the server stops accepting this token, by this device's clock; `null` for an unknown token. */
  expiresAt(accessToken: string): Date | null
  /** Changes what a successful renew answers from now on. */
  answerRenewWith(answer: MockRenewAnswer): void
  /** Sets how far the server's clock runs ahead of this device's, from now on. */
  setSkew(skewMs: number): void
  /** The tokens valid now. */
  validTokens(): string[]
  /** Forgets every token, heals every failure, and restores the renew answer and the clock. */
  reset(): void
}

/**
 * Creates a mock Mindbody that issues, renews and revokes real-looking tokens and remembers them.
 *
 * @example
 * const mindbody = createMockMindbody()
 * const server = setupServer(...mindbody.handlers)
 * mindbody.fail('server-error') // the next calls answer 500
 *
 * // In the browser, for development: a reload keeps the session, as with Mindbody
 * await setupWorker(...createMockMindbody({ persist: localStorage }).handlers).start({ quiet: true })
 */
export function createMockMindbody(options: MockMindbodyOptions = {}): MockMindbody {
  const state = createMockState(options)
  /** The state as it is now: with `persist`, what the storage holds (another tab may have changed it). */
  const synced = () => (state.load(), state)
  return {
    handlers: mockHandlers(state, options),
    fail: state.fail,
    isValid: (token, siteId) => !!synced().issued(token, siteId),
    expiresAt(token) {
      const found = synced().tokens.get(token)
      return found ? new Date(found.expires - state.skew) : null
    },
    answerRenewWith: (answer) => void (state.renewAnswer = answer),
    setSkew: (skewMs) => void (state.skew = skewMs),
    validTokens: () => [...synced().tokens.keys()].filter((token) => state.issued(token)),
    reset: state.reset,
  }
}
