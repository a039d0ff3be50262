import { hex, sha256Hex } from './hex'
import type { ProxySessionOptions } from './proxyOptions'
import { noted } from './observe/outcome'
import type { Watch } from './observe/telemetry'
import { errorBody, json, withCookie } from './responses'
import type { SealedToken } from './cookie/sessionSealer'
import { memorySessionStore } from './stores/memorySessionStore'
import { sessionsApi } from './sessionsApi'
import { isRecord, recordOf } from './sessionRecords'
import { storeDeadline } from './storeDeadline'
import type { SessionStore } from './stores/types'
import type { SessionEndReason } from './sessionEndReason'

const DAY = 24 * 3600_000

const randomId = () => hex(crypto.getRandomValues(new Uint8Array(16)))

/** Why `sealed`'s session is over, or `null` while it lasts: its limits, then its record in `store`. */
async function endReason(
  sealed: SealedToken,
  { idleTimeoutMs, absoluteTimeoutMs }: ProxySessionOptions,
  store?: SessionStore,
): Promise<SessionEndReason | null> {
  const now = Date.now()
  if (absoluteTimeoutMs !== undefined && now - sealed.signedInAt >= absoluteTimeoutMs) return 'absolute'
  if (idleTimeoutMs !== undefined && now - sealed.activeAt >= idleTimeoutMs) return 'idle'
  if (store && !(sealed.sid && isRecord(await store.get(sealed.sid), sealed.siteId, sealed.sid)))
    return 'revoked'
  return null
}

/** What the proxy's sessions need from the rest of the proxy. */
export interface SessionsNeeds {
  /** Revokes the sealed token at Mindbody, for the request `watch` watches. */
  revokeUpstream: (sealed: SealedToken, watch?: Watch) => Promise<unknown>
  /** The `Set-Cookie`, if any, that forgets `sealed`'s session here: its cookie cleared, or off its desk. */
  cleared: (sealed: SealedToken) => Promise<string | undefined>
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
  const limits = { idleTimeoutMs, absoluteTimeoutMs }
  const { revokeUpstream, cleared, forgetOpened, storeTimeoutMs } = needs
  // Every call of a store has a deadline, and any failure is STORE_DOWN: the call answers 503.
  const store = given && storeDeadline(given, storeTimeoutMs)
  // Without a store, ended sessions are marked in this process's memory only.
  const marks = store ?? storeDeadline(memorySessionStore(), storeTimeoutMs)
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
    ended: (sealed: SealedToken) => endReason(sealed, limits, store),
    /** Ends `sealed`'s session for `reason`: its token revoked upstream once, its record gone, 401 and no cookie. */
    async end(sealed: SealedToken, reason: SessionEndReason, watch?: Watch) {
      if (await forget(sealed)) await revokeUpstream(sealed, watch)
      const body = errorBody('This session has ended. Sign in again.', 'SessionExpired', reason)
      return noted(withCookie(json(body, 401), await cleared(sealed)), { type: 'session-ended', reason })
    },
    /** `proxy.sessions`: the server-side API, for an admin page or a script. */
    api: sessionsApi(store, isRecord, needs.identity),
  }
}
