import type { QueryClient } from '@tanstack/react-query'
import { tokenSlot, whileRestoring } from '../query/tokenSlots'
import { getToken, setArrivedToken, setToken, watchToken } from '../query/userTokenQueryOptions'
import { userTokenKeys } from '../query/userTokenKeys'
import { createSender } from '../core/createUserTokenApi'
import { revokeToken } from '../query/revokeTokenMutationOptions'
import { createAutoRenewal } from './autoRenewal'
import { createIdleTimeout, type IdleOptions } from './idleTimeout'
import { createRevalidation } from './revalidation'
import { createExpiry, readFresh } from './expiry'
import { createRenewal } from './renewal'
import { createRenewClaim } from './renewClaim'
import { createSessionTimers } from './sessionTimers'
import { reasonOf, type SignOutReason, type TokenStatus } from './signOutReason'
import { createStatusStore } from './statusStore'
import { tokenSourceFor } from './tokenSourceFor'
import type { UserTokenStorageOption } from './userTokenStorage'
import type { ArrivedToken, IssueResponse, ResolvedMindbodyConfig } from '../core/types'

/** Options of `createTokenSession`: the provider's lifecycle props. */
export interface TokenSessionOptions {
  queryClient: QueryClient
  config: ResolvedMindbodyConfig
  storage?: UserTokenStorageOption
  storageKey?: string
  expiryLeewayMs?: number
  /** Renew this long before expiry; `undefined` turns auto-renew off. */
  renewBeforeMs?: number
  /** Sign out after a time with no activity. */
  idle?: IdleOptions
  /** Server mode: ask the proxy every this many ms (and on focus and online) whether the session lasts. */
  revalidateMs?: number | false
}

/** The React-free owner of one token's life: restore, persistence, expiry, renewal, other tabs. */
export type TokenSession = ReturnType<typeof createTokenSession>

/**
 * Composes one token's life from its parts: the token source (storage, or the `/server` proxy), the
 * status store, expiry and its timers, renewal and auto-renew. The token itself lives in the
 * QueryClient; the session follows it there.
 */
export function createTokenSession(options: TokenSessionOptions) {
  const { queryClient, config, expiryLeewayMs = 30_000, renewBeforeMs } = options
  const key = userTokenKeys.token(config)
  const storageKey = options.storageKey ?? `mindbody-user-token:${key.slice(1).join(':')}`
  const source = tokenSourceFor(config, options.storage, storageKey, key.join(' '))
  const status = createStatusStore<TokenStatus>({ isRestoring: source.persistent, signOutReason: null })
  const slot = tokenSlot(queryClient, key)
  const timers = createSessionTimers()
  const token = () => getToken(queryClient, config)
  const expiry = createExpiry(expiryLeewayMs, () => slot.arrival)
  const arrive = (arrived: ArrivedToken) => setArrivedToken(queryClient, config, arrived)
  let held: IssueResponse | null | undefined
  let reason: SignOutReason | undefined

  /** Ends the session locally with `why`; a no-op when signed out. */
  function signOut(why: SignOutReason) {
    if (!token()) return
    reason = why
    setToken(queryClient, config, null)
  }
  /**
   * The one rule for a failed call with the token: a 401 means Mindbody no longer accepts it, or the
   * `/server` proxy ended the session, for the reason it gives.
   */
  const fail = (error: unknown) => {
    const why = reasonOf(error)
    if (why) signOut(why)
  }
  const renew = createRenewal(queryClient, config, token, fail)
  const claim = createRenewClaim(source.page, source.claims, `${storageKey}:renewing`)
  const autoRenewal = createAutoRenewal({ token, renew, expiry, timers, claim, page: source.page })
  const server = config.mode === 'server'
  const idle =
    options.idle &&
    createIdleTimeout(options.idle, {
      page: source.page,
      storage: source.claims,
      key: `${storageKey}:active`,
      end() {
        if (!token()) return
        reason = 'idle'
        void revokeToken(config, queryClient).catch(() => undefined)
      },
      report: server ? () => void createSender(config)('POST', '/session/activity').catch(fail) : undefined,
    })
  const revalidation =
    server &&
    createRevalidation(config, source.page, options.revalidateMs ?? 5 * 60_000, () => !!token(), fail)

  /** The token changed: keep it, time its end and its renewal, and say why a session ended. */
  const onChange = (force?: boolean) => {
    const t = token()
    if (t === held && !force) return
    const was = held
    const why = reason ?? 'revoked'
    held = t
    if (!status.get().isRestoring) source.write(t && { token: t, skew: slot.arrival?.skew }, why)
    timers.clear()
    const end = expiry(t)
    if (t && end < Infinity) timers.at(end, () => signOut(autoRenewal.ending(t)))
    if (t && end < Infinity && renewBeforeMs !== undefined) autoRenewal.schedule(t, end, renewBeforeMs)
    if (t) void idle?.begin(was === null && !status.get().isRestoring)
    else idle?.halt()
    if (t ? status.get().signOutReason : was) status.set({ signOutReason: t ? null : why })
    reason = undefined
  }
  /**
   * Another provider of the page or another tab wrote the token: take it as it arrived there, or
   * follow its sign-out, for the reason it had on this page.
   */
  const fromElsewhere = (arrived: ArrivedToken | null, why?: SignOutReason) => {
    const current = token()
    if (arrived) arrive(arrived)
    else if (current)
      signOut(
        why ??
          (expiry(current) <= Date.now()
            ? autoRenewal.ending(current)
            : idle?.passed()
              ? 'idle'
              : 'other-tab'),
      )
  }
  /** Reads the kept token once, discarding one that has expired by the clock it was kept with. */
  const restore = async (isStopped: () => boolean) => {
    const fresh = await readFresh(source, expiry)
    if (isStopped()) return
    if (queryClient.getQueryData(key) === undefined) {
      if (fresh) arrive(fresh)
      else setToken(queryClient, config, null)
    }
    if (status.get().isRestoring) status.set({ isRestoring: false })
    onChange(true)
  }

  return {
    signOut,
    fail,
    renew,
    token,
    getStatus: status.get,
    /**
     * The status the server rendered: the first one. React reads it while hydrating, so a part of the
     * page that hydrates after the session has restored (a Suspense boundary streamed later, as Next.js
     * with Cache Components does) still matches the server's HTML; React then re-renders with the
     * current status.
     */
    getServerStatus: status.initial,
    subscribe: status.subscribe,
    /** The idle timeout's state and `stayActive`; none without the `idle` option. */
    idle,
    /** Calls `listener` with the reason of every sign-out; returns the unsubscribe. */
    onSignOut: (listener: (reason: SignOutReason) => void) => status.on((s) => s.signOutReason, listener),
    /** Starts following the token and other tabs, restoring, and the timers; returns the stop. */
    start() {
      let stopped = false
      const unwatch = watchToken(queryClient, config, onChange)
      const unlisten = source.subscribe(fromElsewhere)
      const unidle = idle ? idle.listen() : () => {}
      const unrevalidate = revalidation ? revalidation.listen() : () => {}
      const restoring = restore(() => stopped)
      whileRestoring(queryClient, key, restoring)
      return () => {
        stopped = true
        unwatch()
        unlisten()
        unidle()
        unrevalidate()
        timers.clear()
      }
    },
  }
}
