import { deadline } from './deadline'
import { hex, sha256Hex } from './hex'
import type { ProxySessionOptions } from './proxyOptions'
import { errorBody, json, withCookie } from './responses'
import type { SealedToken } from './cookie/sessionSealer'
import { memorySessionStore } from './stores/memorySessionStore'
import { sessionsApi } from './sessionsApi'
import type { SessionRecord, SessionStore } from './stores/types'

/**
 * Why the proxy ended a session, as its 401 `SessionExpired` says in `Reason`.
 *
 * @example
 * const reason: SessionEndReason = 'idle' // or 'absolute', 'revoked'
 */
export type SessionEndReason = 'idle' | 'absolute' | 'revoked'

/** Thrown when the session store cannot answer in time: the proxy answers 503 and sends nothing. */
export const STORE_DOWN = Symbol('the session store is down')

const DAY = 24 * 3600_000

const randomId = () => hex(crypto.getRandomValues(new Uint8Array(16)))

/** A record as the proxy reads it back from any store: its shape checked, and its id and site as asked. */
const isRecord = (r: SessionRecord | null | undefined, siteId: string, id?: string): r is SessionRecord =>
  !!r &&
  typeof r.id === 'string' &&
  (id === undefined || r.id === id) &&
  r.siteId === siteId &&
  (r.staff === undefined || typeof r.staff === 'string') &&
  (r.userId === null || Number.isInteger(r.userId)) &&
  [r.signedInAt, r.activeAt, r.expiresAt].every(Number.isFinite) &&
  r.expiresAt > Date.now()

/** What the proxy's sessions need from the rest of the proxy. */
export interface SessionsNeeds {
  /** Revokes the sealed token at Mindbody. */
  revokeUpstream: (sealed: SealedToken) => Promise<unknown>
  /** The `Set-Cookie` that clears a site's cookie. */
  clear: (siteId: string) => string
  /** Forgets that a cookie opened as `sealed`, so it is decrypted and checked afresh if seen again. */
  forgetOpened: (sealed: SealedToken) => void
  /** The staff identity of `username` on `siteId`: a keyed hash, never the name. */
  identity: (siteId: string, username: string) => Promise<string>
  /** How long a store may take to answer before the call fails closed. */
  storeTimeoutMs: number
}

/**
 * The proxy's sessions: the idle and absolute limits checked on every call with a cookie, and with a
 * store, one record per sign-in that the proxy checks each time (one round trip), lists and revokes.
 * Only a sign-in creates a record; a renewal or activity updates it only while it exists. Ending a
 * session revokes its Mindbody token upstream once, however often its cookie comes back.
 */
export function createProxySessions(
  { idleTimeoutMs, absoluteTimeoutMs, store: given }: ProxySessionOptions = {},
  needs: SessionsNeeds,
) {
  const { revokeUpstream, clear, forgetOpened, storeTimeoutMs } = needs
  // Every call of a store has a deadline, and any failure is STORE_DOWN: the call answers 503.
  const stored = <T>(work: () => Promise<T>): Promise<T> =>
    deadline(Promise.resolve().then(work), storeTimeoutMs, STORE_DOWN).catch(() => Promise.reject(STORE_DOWN))
  const wrap = (s: SessionStore): SessionStore => ({
    create: (record) => stored(() => s.create(record)),
    update: (record) => stored(() => s.update(record)),
    get: (id) => stored(() => s.get(id)),
    list: (siteId) => stored(() => s.list(siteId)),
    revoke: (id) => stored(() => s.revoke(id)),
    claimEnd: (key, until) => stored(() => s.claimEnd(key, until)),
  })
  const store = given && wrap(given)
  // Without a store, ended sessions are marked in this process's memory only.
  const marks = store ?? wrap(memorySessionStore())
  const recordOf = (sealed: SealedToken, until: number): SessionRecord => ({
    id: sealed.sid!,
    siteId: sealed.siteId,
    userId: sealed.User?.Id ?? null,
    staff: sealed.staff ?? '',
    signedInAt: sealed.signedInAt,
    activeAt: sealed.activeAt,
    expiresAt: until,
  })
  /**
   * Ends `sealed`'s session here: its record gone, and `true` the first time it ends on any instance
   * sharing the store, so that its token is revoked upstream once.
   */
  const forget = async (sealed: SealedToken) => {
    forgetOpened(sealed)
    if (store && sealed.sid) await store.revoke(sealed.sid)
    return marks.claimEnd(
      sealed.sid ?? (await sha256Hex(sealed.AccessToken)),
      sealed.until ?? Date.now() + DAY,
    )
  }

  return {
    store,
    /** The fields a new sign-in seals: its times, its staff identity, and with a store a random id. */
    begin: (staff: string, now = Date.now()) => ({
      signedInAt: now,
      activeAt: now,
      staff,
      ...(store && { sid: randomId() }),
    }),
    /** Keeps a new sign-in's record until `until`, with a store. */
    async create(sealed: SealedToken, until: number) {
      if (store && sealed.sid) await store.create(recordOf(sealed, until))
    },
    /** Updates `sealed`'s record until `until`, only while it lasts: `false` when it was revoked. */
    async update(sealed: SealedToken, until: number) {
      return !store || !sealed.sid || store.update(recordOf(sealed, until))
    },
    /** At a sign-out, or when another sign-in replaces it: `true` if `sealed`'s token is still to revoke. */
    forget,
    /** The well-formed, live records of `siteId`. */
    list: async (siteId: string) => (await store!.list(siteId)).filter((r) => isRecord(r, siteId)),
    /** Why `sealed`'s session is over, or `null` while it lasts. */
    async ended(sealed: SealedToken): Promise<SessionEndReason | null> {
      const now = Date.now()
      if (absoluteTimeoutMs !== undefined && now - sealed.signedInAt >= absoluteTimeoutMs) return 'absolute'
      if (idleTimeoutMs !== undefined && now - sealed.activeAt >= idleTimeoutMs) return 'idle'
      if (store && !(sealed.sid && isRecord(await store.get(sealed.sid), sealed.siteId, sealed.sid)))
        return 'revoked'
      return null
    },
    /** Ends `sealed`'s session for `reason`: its token revoked upstream once, its record gone, 401 and no cookie. */
    async end(sealed: SealedToken, reason: SessionEndReason) {
      if (await forget(sealed)) await revokeUpstream(sealed)
      const body = errorBody('This session has ended. Sign in again.', 'SessionExpired', reason)
      return withCookie(json(body, 401), clear(sealed.siteId))
    },
    /** `proxy.sessions`: the server-side API, for an admin page or a script. */
    api: sessionsApi(store, isRecord, needs.identity),
  }
}
