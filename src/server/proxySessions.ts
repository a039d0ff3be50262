import { MindbodyError } from '../core/MindbodyError'
import type { SessionRecord } from './memorySessionStore'
import type { ProxySessionOptions } from './proxyOptions'
import { json, letGo, withCookie } from './responses'
import type { SealedToken } from './sessionCookie'

/**
 * Why the proxy ended a session, as its 401 `SessionExpired` says in `Reason`.
 *
 * @example
 * const reason: SessionEndReason = 'idle' // or 'absolute', 'revoked'
 */
export type SessionEndReason = 'idle' | 'absolute' | 'revoked'

/**
 * `proxy.sessions`: the server-side API over the session store, for an admin page or a script.
 *
 * @example
 * const staffSessions = await proxy.sessions.list({ siteId: -99, userId: 100000123 })
 * await proxy.sessions.revoke({ siteId: -99, userId: 100000123 }) // sign out that staff member everywhere
 */
export interface ProxySessions {
  /** The sessions of `siteId`, those of `userId` only when given. Throws without a store. */
  list(filter: { siteId: string | number; userId?: number }): Promise<SessionRecord[]>
  /**
   * Ends sessions of `siteId`: one (`sessionId`), a staff member's (`userId`), or all of the site. Each
   * one's Mindbody token is revoked upstream the next time its cookie is seen. Answers how many ended.
   */
  revoke(filter: { siteId: string | number; userId?: number; sessionId?: string }): Promise<number>
}

/** Thrown when the session store cannot answer: the proxy answers 503 and sends nothing. */
export const STORE_DOWN = Symbol('the session store is down')

const randomId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')

/**
 * The proxy's sessions: the idle and absolute limits checked on every call with a cookie, and with a
 * store, one record per sign-in that the proxy checks each time (one round trip), lists and revokes.
 * Ending a session revokes its Mindbody token upstream and clears the cookie.
 */
export function createProxySessions(
  { idleTimeoutMs, absoluteTimeoutMs, store: given }: ProxySessionOptions = {},
  {
    revokeUpstream,
    clear,
    forgetOpened,
  }: {
    /** Revokes the sealed token at Mindbody. */
    revokeUpstream: (sealed: SealedToken) => Promise<Response>
    /** The `Set-Cookie` that clears a site's cookie. */
    clear: (siteId: string) => string
    /** Forgets that a cookie opened as `sealed`, so it is decrypted and checked afresh if seen again. */
    forgetOpened: (sealed: SealedToken) => void
  },
) {
  const stored = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch {
      throw STORE_DOWN
    }
  }
  // The store as the proxy uses it: any failure is STORE_DOWN, and the call answers 503.
  const store = given && {
    set: (record: SessionRecord) => stored(() => given.set(record)),
    get: (id: string) => stored(() => given.get(id)),
    list: (siteId: string, userId?: number) => stored(() => given.list(siteId, userId)),
    delete: (id: string) => stored(() => given.delete(id)),
  }
  const need = () => {
    if (!given)
      throw new MindbodyError('invalid-input', 'proxy.sessions needs a session store: session: { store }')
    return given
  }
  const revokeAll = async (records: Array<SessionRecord | null>) => {
    const found = records.filter((r): r is SessionRecord => !!r)
    await Promise.all(found.map((r) => need().delete(r.id)))
    return found.length
  }
  return {
    store,
    /** The fields a new sign-in seals: its times, and with a store a random id. */
    begin: (now = Date.now()) => ({ signedInAt: now, activeAt: now, ...(store && { sid: randomId() }) }),
    /** Keeps `sealed`'s record until `until`, with a store. */
    async keep(sealed: SealedToken, until: number) {
      if (!store || !sealed.sid) return
      const { sid: id, siteId, User, signedInAt, activeAt } = sealed
      await store.set({ id, siteId, userId: User?.Id ?? null, signedInAt, activeAt, expiresAt: until })
    },
    /** Forgets `sealed`'s record, at a sign-out; a store that fails changes nothing the cookie does. */
    async forget(sealed: SealedToken | null | false) {
      if (!sealed) return
      forgetOpened(sealed)
      if (sealed.sid) await store?.delete(sealed.sid).catch(() => undefined)
    },
    /** Why `sealed`'s session is over, or `null` while it lasts. */
    async ended(sealed: SealedToken): Promise<SessionEndReason | null> {
      const now = Date.now()
      if (absoluteTimeoutMs !== undefined && now - sealed.signedInAt >= absoluteTimeoutMs) return 'absolute'
      if (idleTimeoutMs !== undefined && now - sealed.activeAt >= idleTimeoutMs) return 'idle'
      if (store && !(sealed.sid && (await store.get(sealed.sid)))) return 'revoked'
      return null
    },
    /** Ends `sealed`'s session for `reason`: its token revoked upstream, its record gone, 401 and no cookie. */
    async end(sealed: SealedToken, reason: SessionEndReason) {
      await revokeUpstream(sealed).then(letGo, () => undefined)
      await this.forget(sealed)
      const body = {
        Error: { Message: 'This session has ended. Sign in again.', Code: 'SessionExpired', Reason: reason },
      }
      return withCookie(json(body, 401), clear(sealed.siteId))
    },
    /** `proxy.sessions`: the server-side API, for an admin page or a script. */
    api: {
      list: ({ siteId, userId }) => need().list(String(siteId), userId),
      async revoke({ siteId, userId, sessionId }) {
        const site = String(siteId)
        if (sessionId === undefined) return revokeAll(await need().list(site, userId))
        const record = await need().get(sessionId)
        const mine = record && record.siteId === site && (userId === undefined || record.userId === userId)
        return revokeAll([mine ? record : null])
      },
    } satisfies ProxySessions as ProxySessions,
  }
}
