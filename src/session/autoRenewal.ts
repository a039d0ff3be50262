import { backoff, isRetryable } from '../core/retryPolicy'
import { tokenId } from './pageStore'
import type { MindbodyError } from '../core/MindbodyError'
import type { IssueResponse } from '../core/types'
import type { PageRecord } from './pageRecord'
import type { createRenewClaim } from './renewClaim'
import type { SignOutReason } from './signOutReason'
import type { createSessionTimers } from './sessionTimers'

/** How long a tab's claim to auto-renew lasts without being renewed. */
const CLAIM_MS = 30_000

/** What auto-renew needs of its session. */
export interface AutoRenewalContext {
  token: () => IssueResponse | null
  /** The session's renew, which ends the session itself on a 401. */
  renew: () => Promise<IssueResponse>
  /** When `t` counts as expired, by this device's clock. */
  expiry: (t: IssueResponse) => number
  timers: ReturnType<typeof createSessionTimers>
  claim: ReturnType<typeof createRenewClaim>
  /** The page's renewal state, where a renewal that gave up is noted for every provider. */
  page: PageRecord['renew']
}

/**
 * Renews a token before it expires, once per page and one tab at a time. A 401 has ended the session
 * already; a temporary failure is tried again with backoff until the token expires; any other failure
 * waits for the expiry. Either way that expiry then says `'renew-failed'`, in every provider.
 */
export function createAutoRenewal({ token, renew, expiry, timers, claim, page }: AutoRenewalContext) {
  /** How many times in a row the renewal failed. */
  let failures = 0

  const attempt = async (t: IssueResponse) => {
    if (!(await claim.take(Date.now() + CLAIM_MS)))
      return timers.at(Date.now() + CLAIM_MS, () => void attempt(t))
    // Another tab, or a manual renew, may have renewed it meanwhile.
    const now = token()
    if (!now || tokenId(now) !== tokenId(t)) return
    try {
      // The claim lapses by itself; the page waits for this answer however long it takes.
      await renew()
    } catch (caught) {
      const error = caught as MindbodyError
      if (token()?.AccessToken !== t.AccessToken) return
      page.failedId = tokenId(t)
      const end = expiry(t)
      const next = Date.now() + backoff(failures++, error)
      // Hold the claim over the wait, or to the end when giving up, so no other tab pays for a second try.
      const retry = isRetryable(error) && next < end
      void claim.hold(retry ? next + CLAIM_MS : end)
      if (retry) timers.at(next, () => void attempt(t))
    }
  }

  return {
    /** Plans the first try for `t`, `beforeMs` before `end`. */
    schedule(t: IssueResponse, end: number, beforeMs: number) {
      failures = 0
      timers.at(end - beforeMs, () => void attempt(t))
    },
    /** Why `t`'s session ends at its expiry: `'renew-failed'` after a failed renewal, else `'expired'`. */
    ending: (t: IssueResponse): SignOutReason => (page.failedId === tokenId(t) ? 'renew-failed' : 'expired'),
  }
}
