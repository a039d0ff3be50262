import { resolveConfig } from '../core/resolveConfig'
import { createActivityClock } from './activityClock'
import { createAutoRenewal } from './autoRenewal'
import { createExpiry } from './expiry'
import { createFollower } from './follower'
import { createIdleTimeout, type IdleOptions } from './idleTimeout'
import { noteFollowed, pageRecord, type HeldToken } from './pageRecord'
import { followStore, readKept } from './pageStore'
import { createRenewClaim } from './renewClaim'
import { sessionPlace } from './sessionPlace'
import { createSessionTimers } from './sessionTimers'
import { createStatusStore } from './statusStore'
import { tokenActions, type TokenActions } from './tokenActions'
import type { SignOutReason, TokenStatus } from './signOutReason'
import type { UserTokenStorageOption } from './userTokenStorage'
import type { IssueResponse } from '../core/types'
import type { MindbodyConfig } from '../core/MindbodyConfig'

/** Options of `createTokenSession`: the config and the provider's lifecycle props. */
export interface TokenSessionOptions {
  config: MindbodyConfig
  /** Token mode: where the token is kept, and under which key. */
  storage?: UserTokenStorageOption
  storageKey?: string
  expiryLeewayMs?: number
  /** Renew this long before expiry; `undefined` turns auto-renew off. */
  renewBeforeMs?: number
  /** Sign out after a time with no activity. */
  idle?: IdleOptions
  /** Server mode: ask the proxy every this many ms (and on focus and online) whether the session lasts. */
  revalidateMs?: number | false
  /**
   * Where this session's readers find the token (a provider's QueryClient): `set` gets a copy of each
   * change; `get` hands a token back to a session that restarts (StrictMode, new props) when the page
   * has let its memory go.
   */
  mirror?: { get(): IssueResponse | null | undefined; set(token: IssueResponse | null): void }
}

/** The idle end that locks the front desk, once the proxy has; when it refuses (no desk), it signs out. */
const lockWhenIdle = (actions: TokenActions) => () =>
  void actions.lock(undefined, true).catch(() => actions.signOut('idle').catch(() => undefined))

/** The parts of one provider's session, each owning its group of the page record. */
function composeSession(options: TokenSessionOptions) {
  const config = resolveConfig(options.config)
  const place = sessionPlace(config, options)
  const record = pageRecord(place)
  const actions = tokenActions(record, config)
  const persistent = place.place !== 'memory' || !!record.store.held
  const status = createStatusStore<TokenStatus>({ isRestoring: persistent, signOutReason: null })
  const timers = createSessionTimers()
  const expiry = createExpiry(options.expiryLeewayMs ?? 30_000, () => record.store.held)
  const shared = () => place.shared(record.store.storage)
  const claim = createRenewClaim(record.renew, shared, `${place.key}:renewing`)
  const autoRenewal = createAutoRenewal({
    token: actions.token,
    renew: actions.renew,
    expiry,
    timers,
    claim,
    page: record.renew,
  })
  const signedIn = () => !!actions.token()
  const heartbeat = place.heartbeat?.(
    config,
    record,
    options.revalidateMs ?? 5 * 60_000,
    signedIn,
    actions.fail,
  )
  const idle =
    options.idle &&
    createIdleTimeout(options.idle, {
      clock: createActivityClock(record.activity, shared, `${place.key}:active`),
      end:
        options.idle.action === 'lock'
          ? lockWhenIdle(actions)
          : () => void actions.signOut('idle').catch(() => undefined),
      report: heartbeat?.report,
    })
  const { renewBeforeMs, mirror } = options
  const follow = createFollower({
    status,
    timers,
    expiry,
    autoRenewal,
    idle,
    heartbeat,
    renewBeforeMs,
    mirror: mirror?.set,
    end: actions.end,
  })
  const fresh = ({ token, skew }: HeldToken) => expiry(token, skew) > Date.now()
  const link = { ...place.link, fresh, remembered: mirror?.get }
  return { record, actions, status, timers, idle, heartbeat, follow, link }
}

/**
 * One provider's session over the page's sign-in, without React: sign-in, sign-out with its reason
 * and renew write the page's one record; the session follows it (restore, expiry, auto-renew, idle,
 * the proxy's heartbeat, other tabs) and mirrors the token through `mirror`. `start()` begins
 * following and returns the stop, as a provider's effect does.
 */
export function createTokenSession(options: TokenSessionOptions) {
  const { record, actions, status, timers, idle, heartbeat, follow, link } = composeSession(options)
  return {
    ...actions,
    getStatus: status.get,
    /**
     * The status the server rendered: the first one. React reads it while hydrating, so a part of the
     * page that hydrates after the session has restored still matches the server's HTML.
     */
    getServerStatus: status.initial,
    subscribe: status.subscribe,
    /** The idle timeout's state and `stayActive`; none without the `idle` option. */
    idle,
    /** Calls `listener` with the reason of every sign-out; returns the unsubscribe. */
    onSignOut: (listener: (reason: SignOutReason) => void) => status.on((s) => s.signOutReason, listener),
    /** Starts following the page's sign-in, other tabs, the clocks and the proxy; returns the stop. */
    start() {
      let stopped = false
      const stops = [followStore(record, link, follow), idle?.listen(), heartbeat?.listen(), timers.clear]
      noteFollowed(record)
      const restored = () => {
        if (stopped) return
        if (status.get().isRestoring) status.set({ isRestoring: false })
        follow(record.store.held ?? null)
      }
      // Known on the page already: followed at once, so no reader sees a moment without it.
      readKept(record, link, restored)
      return () => {
        stopped = true
        for (const stop of stops) stop?.()
      }
    },
  }
}

/** One provider's session: see `createTokenSession`. */
export type TokenSession = ReturnType<typeof createTokenSession>
