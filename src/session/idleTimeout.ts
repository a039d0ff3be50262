import type { PageSlot } from './pageSlot'
import { createSessionTimers } from './sessionTimers'
import { createStatusStore } from './statusStore'
import type { UserTokenStorage } from './userTokenStorage'

/**
 * The provider's `idle` prop: sign out after `timeoutMs` with no activity, warning `warnBeforeMs`
 * (default 60 000) before.
 *
 * @example
 * <MindbodyProvider siteId={-99} idle={{ timeoutMs: 5 * 60_000, warnBeforeMs: 60_000 }}>
 */
export interface IdleOptions {
  /** Sign out, as `'idle'`, after this long with no activity in any tab or provider of the session. */
  timeoutMs: number
  /** Warn this long before (`useIdleTimeout().isWarning`). Default 60 000. */
  warnBeforeMs?: number
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

const EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const
/** Another tab hears of activity at most this often; the server at most once a minute. */
const SHARE_MS = 5_000
const REPORT_MS = 60_000

/** What the idle timeout needs of its session. */
export interface IdleContext {
  page: PageSlot
  /** The storage every tab shares (where the renew claim is kept), or none. */
  storage: () => UserTokenStorage | undefined
  key: string
  /** The idle sign-out. */
  end: () => void
  /** Tells the `/server` proxy of activity, in server mode. */
  report?: () => void
}

/**
 * Signs out after `timeoutMs` with no activity: `pointerdown`, `keydown`, `wheel`, `touchstart` or the
 * tab coming into view, in any provider of the page (through its slot) or any tab (through the shared
 * storage). Time is the wall clock, read at each check, so a device that slept past the limit signs
 * out when it wakes, before its waking counts as activity. It runs while signed in.
 */
export function createIdleTimeout({ timeoutMs, warnBeforeMs = 60_000 }: IdleOptions, context: IdleContext) {
  const { page, storage, key, end, report } = context
  const state = createStatusStore<IdleState>({ isWarning: false, remainingMs: null })
  const timers = createSessionTimers()
  let running = false
  let shared = 0

  const latest = async () => {
    let stored = 0
    try {
      stored = Number(await storage()?.getItem(key)) || 0
    } catch {
      // an unreadable storage shares nothing
    }
    return Math.max(page.active ?? 0, stored)
  }
  const show = (next: IdleState) => {
    const now = state.get()
    if (now.isWarning !== next.isWarning || now.remainingMs !== next.remainingMs) state.set(next)
  }
  const check = async (): Promise<void> => {
    if (!running) return
    const last = await latest()
    if (!running) return
    const left = last + timeoutMs - Date.now()
    timers.clear()
    if (left <= 0) {
      running = false
      show({ isWarning: false, remainingMs: null })
      return end()
    }
    const warning = left <= warnBeforeMs
    show({ isWarning: warning, remainingMs: warning ? left : null })
    timers.at(
      warning ? Date.now() + Math.min(1000, left) : last + timeoutMs - warnBeforeMs,
      () => void check(),
    )
  }
  /** Notes activity at `now` for the page, other tabs (now and then) and the proxy (once a minute). */
  const record = (now: number, force?: boolean) => {
    page.active = Math.max(page.active ?? 0, now)
    if (!running) return
    if (force || now - shared >= SHARE_MS) {
      shared = now
      void Promise.resolve()
        .then(() => storage()?.setItem(key, String(now)))
        .catch(() => undefined)
    }
    if (report && (force || now - (page.reported ?? 0) >= REPORT_MS)) {
      page.reported = now
      report()
    }
    if (state.get().isWarning) void check()
  }
  /** Activity: first, a session already past its limit ends (a device waking from sleep). */
  const onActivity = () => {
    const now = Date.now()
    if (running && now - (page.active ?? now) >= timeoutMs) void check().then(() => record(now))
    else record(now)
  }
  const onVisible = () => void (document.visibilityState !== 'hidden' && onActivity())

  return {
    get: state.get,
    /** The state the server rendered, for hydration: no warning. */
    initial: state.initial,
    subscribe: state.subscribe,
    /** Counts as activity everywhere: this page, other tabs and the proxy. */
    stayActive: () => void (running && (record(Date.now(), true), check())),
    /** Whether the limit has passed, so a sign-out from another tab can be told apart as `'idle'`. */
    passed: () => Date.now() - (page.active ?? Date.now()) >= timeoutMs,
    /**
     * Starts counting for a signed-in session. A `fresh` sign-in is activity (the proxy counted it
     * already); a restored session counts from its last known activity, or from now.
     */
    async begin(fresh: boolean) {
      if (running) return
      running = true
      const now = Date.now()
      if (fresh) page.reported = now
      if (fresh || !(await latest())) record(now, !fresh)
      await check()
    },
    /** Stops counting: signed out. */
    halt() {
      running = false
      timers.clear()
      show({ isWarning: false, remainingMs: null })
    },
    /** Listens for activity on the page; returns the stop. */
    listen() {
      if (typeof window === 'undefined') return () => {}
      const options = { capture: true, passive: true }
      for (const type of EVENTS) window.addEventListener(type, onActivity, options)
      document.addEventListener('visibilitychange', onVisible)
      return () => {
        for (const type of EVENTS) window.removeEventListener(type, onActivity, options)
        document.removeEventListener('visibilitychange', onVisible)
        this.halt()
      }
    },
  }
}
