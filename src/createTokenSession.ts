import { hashKey, type QueryClient } from '@tanstack/react-query'
import { createUserTokenApi } from './core/createUserTokenApi'
import { expiresAt } from './core/expiresAt'
import { MindbodyError } from './core/MindbodyError'
import { parseToken } from './core/parseToken'
import { whileRestoring } from './tokenSlots'
import { getToken, setToken } from './userTokenQueryOptions'
import { userTokenKeys } from './userTokenKeys'
import { resolveStorage, type UserTokenStorage, type UserTokenStorageOption } from './userTokenStorage'
import type { IssueResponse, ResolvedMindbodyConfig } from './core/types'

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

const MAX_DELAY = 2 ** 31 - 1
const CLAIM_MS = 30_000

export function createTokenSession(options: TokenSessionOptions) {
  const { queryClient, config, expiryLeewayMs = 30_000, renewBeforeMs } = options
  const key = userTokenKeys.token(config)
  const site = key.join(' ')
  const storageKey = options.storageKey ?? `mindbody-user-token:${key.slice(1).join(':')}`
  const listeners = new Set<() => void>()
  const signOutListeners = new Set<(reason: SignOutReason) => void>()
  let status: SessionStatus = { isRestoring: (options.storage ?? 'memory') !== 'memory', signOutReason: null }
  let last: IssueResponse | null | undefined
  let reason: SignOutReason | undefined
  let written: string | null | undefined
  let timers: ReturnType<typeof setTimeout>[] = []
  let renewing: Promise<IssueResponse> | undefined
  let storage: UserTokenStorage | undefined
  let warned = false

  const token = () => getToken(queryClient, config)
  const deadline = (t: IssueResponse | null) => (expiresAt(t) ?? Infinity) - expiryLeewayMs
  const setStatus = (next: Partial<SessionStatus>) => {
    status = { ...status, ...next }
    listeners.forEach((listener) => listener())
  }
  const quietly = async <T>(work: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await work()
    } catch {
      return undefined
    }
  }
  const write = async (value: string | null) => {
    written = value
    try {
      await (value === null ? storage?.removeItem(storageKey) : storage?.setItem(storageKey, value))
    } catch {
      if (!warned)
        console.warn(
          'react-mindbody-user-token: the token storage refused to save; the token is kept in memory only.',
        )
      warned = true
    }
  }
  const decode = (raw: string | null | undefined): IssueResponse | null => {
    if (raw == null) return null
    try {
      const record = JSON.parse(raw) as { site?: unknown; token?: unknown }
      const restored = parseToken(record.token)
      if (record.site === site && deadline(restored) > Date.now()) return restored
    } catch {
      // corrupt or foreign data is treated as signed out
    }
    void write(null)
    return null
  }

  const at = (time: number, run: () => void) => {
    const wait = Math.min(Math.max(time - Date.now(), 0), MAX_DELAY)
    timers.push(setTimeout(() => (Date.now() >= time ? run() : at(time, run)), wait))
  }
  const schedule = (t: IssueResponse | null) => {
    timers.forEach(clearTimeout)
    timers = []
    const end = deadline(t)
    if (!t || end === Infinity) return
    at(end, () => signOut('expired'))
    if (renewBeforeMs !== undefined) at(end - renewBeforeMs, autoRenew)
  }

  /** Another tab may be renewing: its claim lives in the shared storage for a short while. */
  const claim = async () => {
    const held = Number(await quietly(() => storage?.getItem(`${storageKey}:renewing`)))
    if (held > Date.now()) return false
    await quietly(() => storage?.setItem(`${storageKey}:renewing`, String(Date.now() + CLAIM_MS)))
    return true
  }
  const autoRenew = async () => {
    const current = token()
    if (!current) return
    if (!(await claim())) return at(Date.now() + CLAIM_MS, autoRenew)
    await renew().catch(() => {
      if (token()?.AccessToken === current.AccessToken) signOut('renew-failed')
    })
  }

  const onChange = (force?: boolean) => {
    const t = token()
    if (t === last && !force) return
    const was = last
    last = t
    if (!status.isRestoring) {
      const value = t ? JSON.stringify({ site, token: t }) : null
      if (value !== written) void write(value)
    }
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

  /** Renews the token; concurrent calls share one request. The answer is merged over the token. */
  function renew(): Promise<IssueResponse> {
    return (renewing ??= (async () => {
      const current = token()
      if (!current) throw new MindbodyError('invalid-input', 'Invalid accessToken: nobody is signed in')
      const renewed = { ...current, ...(await createUserTokenApi(config).renew(current.AccessToken)) }
      if (token()?.AccessToken === current.AccessToken) setToken(queryClient, config, renewed)
      return renewed
    })().finally(() => (renewing = undefined)))
  }

  const fromElsewhere = (raw: string | null) => {
    if (raw === written) return
    written = raw
    const t = decode(raw)
    if (t) setToken(queryClient, config, t)
    else signOut(deadline(token()) <= Date.now() ? 'expired' : 'other-tab')
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
      storage = resolveStorage(options.storage)
      const hash = hashKey(key)
      const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
        if (event.query.queryHash === hash) onChange()
      })
      const unlisten = storage?.subscribe?.(storageKey, fromElsewhere)
      const restore = (async () => {
        const raw = await quietly(() => storage?.getItem(storageKey))
        if (stopped) return
        written = raw ?? null
        const restored = decode(raw)
        if (queryClient.getQueryData(key) === undefined) setToken(queryClient, config, restored)
        if (status.isRestoring) setStatus({ isRestoring: false })
        onChange(true)
      })()
      whileRestoring(queryClient, key, restore)
      return () => {
        stopped = true
        unsubscribe()
        unlisten?.()
        schedule(null)
      }
    },
  }
}
