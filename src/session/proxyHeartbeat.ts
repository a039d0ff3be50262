import { createSender } from '../core/createUserTokenApi'
import { isLockedDesk } from '../core/deskState'
import { httpError } from '../core/httpError'
import type { ResolvedMindbodyConfig } from '../core/MindbodyConfig'
import { listen } from './listen'
import type { PageRecord } from './pageRecord'

/** The proxy hears of activity at most this often. */
const REPORT_MS = 60_000

/**
 * Server mode's link to the `/server` proxy's idea of the session. It asks `GET /session` on window
 * focus, on coming back online and every `everyMs`, once per page at a time, while `isSignedIn()`: a
 * session the proxy ended fails with its 401, which `fail` turns into the reason the proxy gave; an
 * answer of no session at all (`null`: the cookie is gone) counts as a 401 too, and a locked front desk
 * (`{ Desk }`, no token) as a 423 `DeskLocked`. An answer that a later sign-in, sign-out, lock or
 * unlock overtook ends nothing. It reports
 * activity (`POST /session/activity`) at most once a minute per page; a fresh sign-in counts as one.
 */
export function createProxyHeartbeat(
  config: ResolvedMindbodyConfig,
  { check, activity, order }: PageRecord,
  everyMs: number | false,
  isSignedIn: () => boolean,
  fail: (error: unknown) => void,
) {
  const send = createSender(config)
  const revalidate = () => {
    if (!isSignedIn()) return
    const { turn } = order
    const ended = (error: unknown) => void (order.turn === turn && fail(error))
    check.request ??= send('GET', '/session')
      .then(({ body }) => {
        if (body === null) ended(httpError(401, null))
        else if (isLockedDesk(body)) ended(httpError(423, { Error: { Code: 'DeskLocked' } }))
      })
      .catch(ended)
      .finally(() => (check.request = undefined))
  }
  return {
    /** A fresh sign-in: the proxy counted it as activity already. */
    signedIn: () => void (activity.reportedAt = Date.now()),
    /** Activity at `now`: told to the proxy if a minute has passed since the last report, or at once with `force`. */
    report(now: number, force?: boolean) {
      if (!force && now - (activity.reportedAt ?? 0) < REPORT_MS) return
      activity.reportedAt = now
      void send('POST', '/session/activity').catch(fail)
    },
    /** Starts listening; returns the stop. */
    listen() {
      if (typeof window === 'undefined') return () => {}
      const stop = listen(['focus', 'online'], revalidate)
      const interval = everyMs === false ? undefined : setInterval(revalidate, everyMs)
      return () => (stop(), clearInterval(interval))
    },
  }
}
