import type { User } from '../core/types'
import type { MockEndpoint, MockFailure, MockMindbodyOptions, MockRenewAnswer } from './mockOptions'

/** One issued token, as the mock remembers it. */
export interface MockSession {
  siteId: string
  user: User
  expires: number
  renewals: number
}

/** What the mock knows: its tokens, the failures injected, the renew answer and the server's clock. */
export type MockState = ReturnType<typeof createMockState>

/** The mock's state, from its options; `reset` returns to them. */
export function createMockState(options: MockMindbodyOptions) {
  const state = {
    sessions: new Map<string, MockSession>(),
    failures: {} as Partial<Record<MockEndpoint, MockFailure>>,
    renewAnswer: (options.renewAnswer ?? 'token') as MockRenewAnswer,
    clockOffset: options.clockOffsetMs ?? 0,
    /** The server's clock. */
    now: () => Date.now() + state.clockOffset,
    fail(failure: MockFailure | null, endpoints: MockEndpoint[] = ['issue', 'renew', 'revoke']) {
      for (const endpoint of endpoints) state.failures[endpoint] = failure ?? undefined
    },
    /** The live session of `token`, for `siteId` when given. */
    session(token: string, siteId?: string | number) {
      const found = state.sessions.get(token)
      return found && found.expires > state.now() && (siteId === undefined || found.siteId === String(siteId))
        ? found
        : undefined
    },
    reset() {
      state.sessions.clear()
      state.failures = {}
      state.renewAnswer = options.renewAnswer ?? 'token'
      state.clockOffset = options.clockOffsetMs ?? 0
    },
  }
  state.fail(options.failure ?? null)
  return state
}
