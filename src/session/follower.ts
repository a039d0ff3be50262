import type { HeldToken } from './pageRecord'
import type { createAutoRenewal } from './autoRenewal'
import type { createExpiry } from './expiry'
import type { createIdleTimeout } from './idleTimeout'
import type { createProxyHeartbeat } from './proxyHeartbeat'
import type { createSessionTimers } from './sessionTimers'
import type { SignOutReason, TokenStatus } from './signOutReason'
import type { createStatusStore } from './statusStore'
import type { IssueResponse } from '../core/types'

/** What a provider's session does with each change of the page's token. */
export interface FollowerParts {
  status: ReturnType<typeof createStatusStore<TokenStatus>>
  timers: ReturnType<typeof createSessionTimers>
  expiry: ReturnType<typeof createExpiry>
  autoRenewal: ReturnType<typeof createAutoRenewal>
  idle?: ReturnType<typeof createIdleTimeout>
  heartbeat?: ReturnType<typeof createProxyHeartbeat>
  /** Renew this long before expiry; `undefined`: no auto-renew. */
  renewBeforeMs?: number
  /** Copies the token where this provider's readers find it (its QueryClient). */
  mirror?: (token: IssueResponse | null) => void
  /** Ends the page's sign-in locally, for a reason. */
  end: (why: SignOutReason) => void
}

/**
 * Follows the page's token in one provider: mirrors it, times its end and its renewal, runs the idle
 * clock while signed in, and says why a sign-in ended. A sign-out from another tab carries no reason:
 * this page's clocks tell it (`expired` or `renew-failed`, `idle`, else `other-tab`). `previous` is
 * `undefined` for the token a provider finds when it starts, which is neither fresh nor an ending.
 */
export function createFollower(parts: FollowerParts) {
  const { status, timers, expiry, autoRenewal, idle, heartbeat, renewBeforeMs, mirror, end } = parts
  const reasonFromElsewhere = ({ token }: HeldToken): SignOutReason =>
    expiry(token) <= Date.now() ? autoRenewal.ending(token) : idle?.passed() ? 'idle' : 'other-tab'
  const schedule = (token: IssueResponse) => {
    const at = expiry(token)
    if (at === Infinity) return
    timers.at(at, () => end(autoRenewal.ending(token)))
    if (renewBeforeMs !== undefined) autoRenewal.schedule(token, at, renewBeforeMs)
  }
  return (held: HeldToken | null, reason?: SignOutReason, previous?: HeldToken | null) => {
    mirror?.(held?.token ?? null)
    timers.clear()
    const fresh = previous === null && !status.get().isRestoring
    if (held) {
      schedule(held.token)
      if (fresh) heartbeat?.signedIn()
      void idle?.begin(fresh)
    } else idle?.halt()
    if (held ? status.get().signOutReason : previous)
      status.set({ signOutReason: held ? null : (reason ?? reasonFromElsewhere(previous!)) })
  }
}
