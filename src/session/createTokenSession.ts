import { hashKey, type QueryClient } from '@tanstack/react-query'
import { broadcastStorage } from './broadcastStorage'
import { createUserTokenApi } from '../core/createUserTokenApi'
import { fetchServerSession } from './fetchServerSession'
import { expiresAt } from '../core/expiresAt'
import { MindbodyError } from '../core/MindbodyError'
import { serverClockOffset } from '../core/serverClock'
import { need } from '../core/validate'
import { createAutoRenewal } from './autoRenewal'
import { createRenewClaim } from './renewClaim'
import { createSessionTimers } from './sessionTimers'
import { createTokenPersistence } from './tokenPersistence'
import { oneAtATime, tokenId, tokenSlot, whileRestoring } from '../query/tokenSlots'
import { getToken, setArrivedToken, setToken } from '../query/userTokenQueryOptions'
import { userTokenKeys } from '../query/userTokenKeys'
import { resolveStorage, type UserTokenStorage, type UserTokenStorageOption } from './userTokenStorage'
import type { IssueResponse, ResolvedMindbodyConfig } from '../core/types'

/**
 * Why the last session ended.
 *
 * @example
 * <MindbodyProvider siteId={-99} onSignOut={(reason: SignOutReason) => log('signed out', reason)}>
 */
export type SignOutReason = 'revoked' | 'expired' | 'unauthorized' | 'renew-failed' | 'other-tab'

/** What a session knows besides the token itself. */
export interface SessionStatus {
  isRestoring: boolean
  signOutReason: SignOutReason | null
}

/** Options of `createTokenSession`: the provider's lifecycle props. */
export interface TokenSessionOptions {
  queryClient: QueryClient
  config: ResolvedMindbodyConfig
  storage?: UserTokenStorageOption
  storageKey?: string
  expiryLeewayMs?: number
  /** Renew this long before expiry; `undefined` turns auto-renew off. */
  renewBeforeMs?: number
}

/** The React-free owner of one token's life: restore, persistence, expiry, renewal, other tabs. */
export type TokenSession = ReturnType<typeof createTokenSession>

export function createTokenSession(options: TokenSessionOptions) {
  const { queryClient, config, expiryLeewayMs = 30_000, renewBeforeMs } = options
  const server = config.session === 'server'
  need(
    !server || options.storage === undefined,
    'storage: session="server" keeps the token on the server; leave storage out',
  )
  const key = userTokenKeys.token(config)
  const slot = tokenSlot(queryClient, key)
  const storageKey = options.storageKey ?? `mindbody-user-token:${key.slice(1).join(':')}`
  const listeners = new Set<() => void>()
  const signOutListeners = new Set<(reason: SignOutReason) => void>()
  let status: SessionStatus = {
    isRestoring: server || (options.storage ?? 'memory') !== 'memory',
    signOutReason: null,
  }
  /** Where the token is kept; in server mode, only the channel to other tabs. */
  let storage: UserTokenStorage | undefined
  /** Where tabs claim the next auto-renew; in server mode, localStorage, which holds no token. */
  let claims: UserTokenStorage | undefined
  const persistence = createTokenPersistence(() => storage, storageKey, key.join(' '), server)
  const timers = createSessionTimers()
  let last: IssueResponse | null | undefined
  let reason: SignOutReason | undefined
  let renewing: Promise<IssueResponse> | undefined
  let fetching: ReturnType<typeof fetchServerSession> | undefined

  const token = () => getToken(queryClient, config)
  const setStatus = (next: Partial<SessionStatus>) => {
    status = { ...status, ...next }
    listeners.forEach((listener) => listener())
  }

  /**
   * When `t` counts as expired by this device's clock: its `Expires` by the server's clock, less the
   * leeway. A token that arrived already past that has an unknown expiry: the device clock or the
   * time zone of `Expires` is wrong, so only the server's 401 can end it.
   */
  const expiry = (t: IssueResponse | null, skew = slot.arrival?.skew ?? 0) => {
    const expires = expiresAt(t)
    if (!t || expires === null) return Infinity
    const end = expires - skew - expiryLeewayMs
    const { arrival } = slot
    return arrival?.id === tokenId(t) && end <= arrival.at ? Infinity : end
  }
  const autoRenewal = createAutoRenewal({
    token,
    renew,
    signOut,
    expiry,
    timers,
    claim: createRenewClaim(() => claims, `${storageKey}:renewing`),
  })
  const { ending } = autoRenewal

  const schedule = (t: IssueResponse | null) => {
    timers.clear()
    const end = expiry(t)
    if (!t || end === Infinity) return
    timers.at(end, () => signOut(ending(t)))
    if (renewBeforeMs !== undefined) autoRenewal.schedule(t, end, renewBeforeMs)
  }

  const onChange = (force?: boolean) => {
    const t = token()
    if (t === last && !force) return
    const was = last
    last = t
    if (!status.isRestoring) persistence.save(t && { token: t, skew: slot.arrival?.skew ?? 0 })
    schedule(t)
    if (t && status.signOutReason) setStatus({ signOutReason: null })
    if (!t && was) {
      const why = reason ?? 'revoked'
      reason = undefined
      setStatus({ signOutReason: why })
      signOutListeners.forEach((listener) => listener(why))
    }
  }

  /** Ends the session locally with `why`; a no-op when signed out. */
  function signOut(why: SignOutReason) {
    if (!token()) return
    reason = why
    setToken(queryClient, config, null)
  }

  /**
   * Renews the token; concurrent calls share one request. Any 2xx is a renewal: the answer's valid
   * fields are merged over the token, and a missing `Expires` moves on by 24 hours.
   */
  function renew(): Promise<IssueResponse> {
    return (renewing ??= (async () => {
      const current = token()
      if (!current) throw new MindbodyError('invalid-input', 'Invalid accessToken: nobody is signed in')
      const renewed = await oneAtATime(queryClient, config, () => createUserTokenApi(config).renew(current))
      if (token()?.AccessToken === current.AccessToken)
        setArrivedToken(queryClient, config, renewed, serverClockOffset(renewed))
      return renewed
    })().finally(() => (renewing = undefined)))
  }

  /** Another tab wrote the token: take it as it arrived there, or follow its sign-out. */
  const fromElsewhere = (raw: string | null) => {
    if (!persistence.take(raw)) return
    const stored = persistence.decode(raw)
    if (stored) return setArrivedToken(queryClient, config, stored.token, stored.skew)
    const current = token()
    if (current) signOut(expiry(current) <= Date.now() ? ending(current) : 'other-tab')
  }

  /** Reads the stored token once, discarding one that has expired by the clock it was stored with. */
  const restore = async (isStopped: () => boolean) => {
    const raw = server ? null : await persistence.read()
    // StrictMode starts twice; both starts share one GET /session.
    const found = server
      ? await (fetching ??= fetchServerSession(config).finally(() => (fetching = undefined)))
      : undefined
    if (isStopped()) return
    persistence.take(raw)
    let stored = found ?? persistence.decode(raw)
    if (stored && expiry(stored.token, stored.skew) <= Date.now()) {
      stored = null
      persistence.save(null)
    }
    if (queryClient.getQueryData(key) === undefined) {
      if (stored) setArrivedToken(queryClient, config, stored.token, stored.skew)
      else setToken(queryClient, config, null)
    }
    if (status.isRestoring) setStatus({ isRestoring: false })
    onChange(true)
  }

  return {
    signOut,
    renew,
    token,
    getStatus: () => status,
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    /** Calls `listener` with the reason of every sign-out; returns the unsubscribe. */
    onSignOut(listener: (reason: SignOutReason) => void) {
      signOutListeners.add(listener)
      return () => void signOutListeners.delete(listener)
    },
    /** Starts restoring, persisting, timers and listening to other tabs; returns the stop. */
    start() {
      let stopped = false
      storage = server ? broadcastStorage(storageKey) : resolveStorage(options.storage)
      claims = server ? resolveStorage('local') : storage
      const hash = hashKey(key)
      const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
        if (event.query.queryHash === hash) onChange()
      })
      const unlisten = storage?.subscribe?.(storageKey, fromElsewhere)
      whileRestoring(
        queryClient,
        key,
        restore(() => stopped),
      )
      return () => {
        stopped = true
        unsubscribe()
        unlisten?.()
        schedule(null)
      }
    },
  }
}
