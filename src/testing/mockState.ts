import type { User } from '../core/types'
import {
  mockPaths,
  type MockEndpoint,
  type MockFailure,
  type MockMindbodyOptions,
  type MockRenewAnswer,
} from './mockOptions'

/** One issued token, as the mock remembers it. */
export interface IssuedToken {
  siteId: string
  user: User
  expires: number
  renewals: number
}

/** What the mock knows: its tokens, the failures injected, the renew answer and the server's clock. */
export type MockState = ReturnType<typeof createMockState>

/** Where a mock with `persist` keeps its tokens: one key per base URL, so two mocks of a page never mix. */
const persistKey = (options: MockMindbodyOptions) =>
  `react-mindbody-user-token/mock:${options.baseURL?.replace(/\/+$/, '') ?? '*'}`

const isIssued = (entry: unknown): entry is [string, IssuedToken] => {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') return false
  const s = entry[1] as Partial<IssuedToken> | null
  return (
    typeof s?.siteId === 'string' &&
    typeof s.expires === 'number' &&
    typeof s.renewals === 'number' &&
    typeof s.user === 'object' &&
    s.user !== null
  )
}

/** The mock's state, from its options; `reset` returns to them. */
export function createMockState(options: MockMindbodyOptions) {
  const { persist } = options
  const key = persistKey(options)
  const state = {
    tokens: new Map<string, IssuedToken>(),
    failures: {} as Partial<Record<MockEndpoint, MockFailure>>,
    renewAnswer: (options.renewAnswer ?? 'token') as MockRenewAnswer,
    skew: options.skewMs ?? 0,
    /** The server's clock. */
    now: () => Date.now() + state.skew,
    fail(failure: MockFailure | null, endpoints = Object.keys(mockPaths) as MockEndpoint[]) {
      for (const endpoint of endpoints) state.failures[endpoint] = failure ?? undefined
    },
    /** The live issued token `token`, for `siteId` when given. */
    issued(token: string, siteId?: string | number) {
      const found = state.tokens.get(token)
      return found && found.expires > state.now() && (siteId === undefined || found.siteId === String(siteId))
        ? found
        : undefined
    },
    /**
     * With `persist`, reads the tokens back from the storage: what another page load, or another tab's
     * mock, issued, renewed or revoked. Unreadable contents count as none.
     */
    load() {
      if (!persist) return
      let saved: unknown = null
      try {
        saved = JSON.parse(persist.getItem(key) ?? 'null')
      } catch {
        // unreadable: no tokens
      }
      state.tokens.clear()
      for (const entry of Array.isArray(saved) ? saved : []) if (isIssued(entry)) state.tokens.set(...entry)
    },
    /** With `persist`, writes the live tokens to the storage; a storage that refuses keeps what it had. */
    save() {
      if (!persist) return
      const live = [...state.tokens].filter(([, s]) => s.expires > state.now())
      try {
        persist.setItem(key, JSON.stringify(live))
      } catch {
        // full or unavailable: the tokens live in this page only
      }
    },
    reset() {
      state.tokens.clear()
      state.save()
      state.failures = {}
      state.renewAnswer = options.renewAnswer ?? 'token'
      state.skew = options.skewMs ?? 0
    },
  }
  state.fail(options.failure ?? null)
  state.load()
  return state
}
