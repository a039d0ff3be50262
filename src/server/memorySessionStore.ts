/**
 * One signed-in session as a `SessionStore` keeps it: who, where and when, never a token or a
 * username.
 *
 * @example
 * const record: SessionRecord = { id, siteId: '-99', userId: 100000123, signedInAt, activeAt, expiresAt }
 */
export interface SessionRecord {
  /** The random session id, also sealed in the cookie. */
  id: string
  siteId: string
  /** The staff member's `User.Id` (0 for owners and admins), or `null` when Mindbody gave none. */
  userId: number | null
  /** When the staff member signed in, in ms since the epoch. */
  signedInAt: number
  /** The last activity the browser reported, in ms since the epoch. */
  activeAt: number
  /** When the record may be forgotten: the session's own end. */
  expiresAt: number
}

/**
 * Where the `/server` proxy keeps its sessions when they must be listable and revocable. Share one
 * store between instances (`redisSessionStore`), so a revocation on one holds on all. Every method may
 * throw when the store is down: the proxy then answers 503, failing closed.
 *
 * @example
 * const proxy = createMindbodyProxy({ apiKey, secret, siteIds: [-99], session: { store: memorySessionStore() } })
 */
export interface SessionStore {
  /** Creates or replaces `record`, kept until its `expiresAt`. */
  set(record: SessionRecord): Promise<void>
  /** The record of `id`, or `null` when it was revoked or has lapsed. */
  get(id: string): Promise<SessionRecord | null>
  /** The sessions of `siteId`, those of `userId` only when given. */
  list(siteId: string, userId?: number): Promise<SessionRecord[]>
  /** Forgets `id`: the next call with its cookie ends it, as `'revoked'`. */
  delete(id: string): Promise<void>
}

/**
 * A `SessionStore` in this process's memory, for one instance or for tests; records lapse at their
 * `expiresAt`.
 *
 * @example
 * const store = memorySessionStore()
 * const proxy = createMindbodyProxy({ apiKey, secret, siteIds: [-99], session: { store } })
 */
export function memorySessionStore(): SessionStore {
  const records = new Map<string, SessionRecord>()
  const live = (record: SessionRecord | undefined) =>
    record && record.expiresAt > Date.now() ? { ...record } : (record && records.delete(record.id), null)
  return {
    async set(record) {
      records.set(record.id, { ...record })
    },
    get: async (id) => live(records.get(id)),
    async list(siteId, userId) {
      return [...records.values()]
        .map(live)
        .filter(
          (r): r is SessionRecord =>
            !!r && r.siteId === siteId && (userId === undefined || r.userId === userId),
        )
    },
    async delete(id) {
      records.delete(id)
    },
  }
}
