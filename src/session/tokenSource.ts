import type { ArrivedToken } from '../core/types'
import type { UserTokenStorage } from './userTokenStorage'

/**
 * Where a session's token is kept and how other tabs hear of it, as zustand's `persist` takes a
 * storage: the browser's storage in token mode (`storageSource`), the `/server` proxy's cookie in
 * server mode (`serverSource`). The session reads it once at start, writes each change, and follows
 * what other tabs write.
 */
export interface TokenSource {
  /** Whether a token can be found at start; while false (memory), the session never shows restoring. */
  readonly persistent: boolean
  /** The token kept at start, with the skew it arrived with; `null` when there is none or no answer. */
  read(): Promise<ArrivedToken | null>
  /** Keeps `arrived`, or forgets the token for `null`; nothing is written when it is unchanged. */
  write(arrived: ArrivedToken | null): void
  /** Calls `listener` with what another tab wrote: a token, or `null` for a sign-out. Returns the stop. */
  subscribe(listener: (arrived: ArrivedToken | null) => void): () => void
  /** Where tabs claim the next auto-renew: storage every tab of the origin shares, or none. */
  claims(): UserTokenStorage | undefined
}
