import type { createActivityClock } from './activityClock'
import { createSessionTimers } from './sessionTimers'
import { createStatusStore } from './statusStore'

/**
 * The provider's `idle` prop: sign out (or lock the front desk) after `timeoutMs` with no activity,
 * warning `warnBeforeMs` (default 60 000) before.
 *
 * @example
 * <MindbodyProvider siteId={-99} idle={{ timeoutMs: 5 * 60_000, warnBeforeMs: 60_000 }}>
 * <MindbodyProvider mode="server" siteId={-99} baseURL="/mindbody" idle={{ timeoutMs: 2 * 60_000, action: 'lock' }}>
 */
export interface IdleOptions {
  /** Sign out, as `'idle'`, after this long with no activity in any tab or provider of the session. */
  timeoutMs: number
  /** Warn this long before (`useIdleTimeout().isWarning`). Default 60 000. */
  warnBeforeMs?: number
  /**
   * `'sign-out'` (default) revokes the token, as `'idle'`; `'lock'` (server mode only) locks the front
   * desk instead, as `'locked'`, so the staff member's PIN unlocks it (see `useDesk`). When the proxy
   * refuses the lock (it keeps no desk), it signs out.
   */
  action?: 'sign-out' | 'lock'
}

/**
 * What `useIdleTimeout` shows: whether the warning is on, and while it is, the time left.
 *
 * @example
 * const state: IdleState = { isWarning: true, remainingMs: 42_000 }
 */
export interface IdleState {
  /** True in the last `warnBeforeMs` before the idle sign-out. */
  isWarning: boolean
  /** While warning, the ms left before the idle sign-out, updated once a second; otherwise `null`. */
  remainingMs: number | null
}

/** What the idle timeout needs of its session. */
export interface IdleContext {
  clock: ReturnType<typeof createActivityClock>
  /** The idle sign-out. */
  end: () => void
  /** Tells the `/server` proxy of activity at `now`, in server mode. */
  report?: (now: number, force?: boolean) => void
}

/**
 * The countdown to the idle sign-out from the last activity on `clock`: it warns in the last
 * `warnBeforeMs`, once a second, and calls `end` at zero. Time is the wall clock, read at each check.
 */
function createCountdown({ timeoutMs, warnBeforeMs = 60_000 }: IdleOptions, context: IdleContext) {
  const state = createStatusStore<IdleState>({ isWarning: false, remainingMs: null })
  const timers = createSessionTimers()
  const run = { on: false }
  const show = (next: IdleState) => {
    const now = state.get()
    if (now.isWarning !== next.isWarning || now.remainingMs !== next.remainingMs) state.set(next)
  }
  const halt = () => {
    run.on = false
    timers.clear()
    show({ isWarning: false, remainingMs: null })
  }
  const check = async (): Promise<void> => {
    if (!run.on) return
    const last = await context.clock.latest()
    if (!run.on) return
    const left = last + timeoutMs - Date.now()
    timers.clear()
    if (left <= 0) return void (halt(), context.end())
    const warning = left <= warnBeforeMs
    show({ isWarning: warning, remainingMs: warning ? left : null })
    const next = warning ? Date.now() + Math.min(1000, left) : last + timeoutMs - warnBeforeMs
    timers.at(next, () => void check())
  }
  return { state, run, halt, check }
}

/**
 * Signs out after `timeoutMs` with no activity on its `clock`, so a device that slept past the limit
 * signs out when it wakes, before its waking counts as activity. It runs while signed in.
 */
export function createIdleTimeout(options: IdleOptions, context: IdleContext) {
  const { clock, report } = context
  const { timeoutMs } = options
  const { state, run, halt, check } = createCountdown(options, context)
  /** Notes activity at `now` for the page, other tabs (now and then) and the proxy (once a minute). */
  const record = (now: number, force?: boolean) => {
    clock.note(now)
    if (!run.on) return
    clock.share(now, force)
    report?.(now, force)
    if (state.get().isWarning) void check()
  }
  /** Activity: first, a session already past its limit ends (a device waking from sleep). */
  const onActivity = () => {
    const now = Date.now()
    if (run.on && now - (clock.last() ?? now) >= timeoutMs) void check().then(() => record(now))
    else record(now)
  }

  return {
    get: state.get,
    /** The state the server rendered, for hydration: no warning. */
    initial: state.initial,
    subscribe: state.subscribe,
    /** Counts as activity everywhere: this page, other tabs and the proxy. */
    stayActive() {
      if (!run.on) return
      record(Date.now(), true)
      void check()
    },
    /** Whether the limit has passed, so a sign-out from another tab can be told apart as `'idle'`. */
    passed: () => Date.now() - (clock.last() ?? Date.now()) >= timeoutMs,
    /** Starts counting for a signed-in session: a `fresh` sign-in is activity; a restored one counts from the last known. */
    async begin(fresh: boolean) {
      if (run.on) return
      run.on = true
      const now = Date.now()
      if (fresh || !(await clock.latest())) record(now, !fresh)
      await check()
    },
    /** Stops counting: signed out. */
    halt,
    /** Listens for activity on the page; returns the stop. */
    listen() {
      const stop = clock.listen(onActivity)
      return () => (stop(), halt())
    },
  }
}
