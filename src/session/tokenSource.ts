import type { ArrivedToken } from '../core/types'
import type { PageSlot } from './pageSlot'
import type { SignOutReason } from './signOutReason'
import type { UserTokenStorage } from './userTokenStorage'

/**
 * Where a session's token is kept and how the rest of the page and other tabs hear of it, as
 * zustand's `persist` takes a storage: the browser's storage in token mode, the `/server` proxy's
 * cookie in server mode, both under the page's one slot. The session reads it once at start, writes
 * each change, and follows what the page's other providers and other tabs write.
 */
export interface TokenSource {
  /** Whether a token can be found at start; while false (memory, nobody signed in), the session never shows restoring. */
  readonly persistent: boolean
  /** What the providers of this session share on the page. */
  readonly page: PageSlot
  /** The token kept at start, with the skew it arrived with; `null` when there is none or no answer. */
  read(): Promise<ArrivedToken | null>
  /** Keeps `arrived`, or forgets the token for `null`, saying why; nothing is written when unchanged. */
  write(arrived: ArrivedToken | null, reason?: SignOutReason): void
  /**
   * Calls `listener` with what another provider of the page or another tab wrote: a token, or `null`
   * for a sign-out, with its reason when it started on this page. Returns the stop.
   */
  subscribe(listener: (arrived: ArrivedToken | null, reason?: SignOutReason) => void): () => void
  /** Where tabs claim the next auto-renew: storage every tab of the origin shares, or none. */
  claims(): UserTokenStorage | undefined
}
