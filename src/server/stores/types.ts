/**
 * Where the proxy counts sign-in attempts: `hit` adds one to `key` and answers how many there have
 * been in the current window of `windowMs`; `reset` (optional) forgets `key`, after a successful
 * sign-in. Share one store between instances, e.g. in Redis, so that all of them share the limits.
 * The call meter (`meter`) keeps its counts here too, with `tally` and `tallies`.
 *
 * @example
 * const limitStore: LimitStore = {
 *   hit: async (key, windowMs) => redis.eval(INCR_AND_PEXPIRE, 1, key, windowMs),
 *   reset: async (key) => void (await redis.del(key)),
 * }
 */
export interface LimitStore {
  /**
   * Counts one attempt under `key` and answers how many there have been in the current window. An answer
   * that is not a count (not a finite number, or below 0), a rejection or a stall is a store that failed:
   * the attempt is refused (503).
   */
  hit(key: string, windowMs: number): Promise<number>
  /** Forgets `key`'s attempts; called after a successful sign-in. */
  reset?(key: string): Promise<void>
  /**
   * For the call meter: adds one to each of `fields` of the tally `key`, in one atomic step, keeps
   * the tally `ttlMs` from now, and answers each field's new count, in order.
   */
  tally?(key: string, fields: string[], ttlMs: number): Promise<number[]>
  /** For the call meter: the fields of the tally `key` and their counts; `{}` when there is none. */
  tallies?(key: string): Promise<Record<string, number>>
}

/**
 * One signed-in session as a `SessionStore` keeps it: who, where and when, never a token, a username
 * or a password.
 *
 * @example
 * const record: SessionRecord = { id, siteId: '-99', userId: 100000123, staff, signedInAt, activeAt, expiresAt }
 */
export interface SessionRecord {
  /** The random session id, also sealed in the cookie. */
  id: string
  /** The site, as a string (`'-99'`) as the `SiteId` header carries it, whatever `siteIds` gave. */
  siteId: string
  /** The staff member's `User.Id` (0 for every owner and admin), or `null` when Mindbody gave none. */
  userId: number | null
  /**
   * Who signed in, as an opaque keyed hash of the site and the username: it tells two owners or admins
   * apart, whose `userId` is 0 alike. The proxy's first secret keys it.
   */
  staff: string
  /** When the staff member signed in, in ms since the epoch. */
  signedInAt: number
  /** The last activity the browser reported, in ms since the epoch. */
  activeAt: number
  /** When the record may be forgotten: the session's own end. */
  expiresAt: number
}

/**
 * Where the `/server` proxy keeps its sessions when they must be listable and revocable. Share one
 * store between instances (`redisSessionStore`), so a revocation on one holds on all. Only a sign-in
 * creates a record; a renewal or an activity report updates it only while it exists, in one atomic
 * step, so a revoked session never comes back. Every method may throw or stall when the store is down:
 * the proxy then answers 503, failing closed.
 *
 * @example
 * const proxy = createMindbodyProxy({ apiKey, secret, siteIds: [-99], session: { store: memorySessionStore() } })
 */
export interface SessionStore {
  /** Keeps a new sign-in's `record` until its `expiresAt`. */
  create(record: SessionRecord): Promise<void>
  /**
   * Replaces the record of `record.id`, only if it is still there, in one atomic step (never a read,
   * then a write); answers whether it did. A revoked or lapsed session is never written back.
   */
  update(record: SessionRecord): Promise<boolean>
  /** The record of `id`, or `null` when it was revoked or has lapsed. */
  get(id: string): Promise<SessionRecord | null>
  /** The live sessions of `siteId`. */
  list(siteId: string): Promise<SessionRecord[]>
  /** Forgets `id`: the next call with its cookie ends it, as `'revoked'`, and no update brings it back. */
  revoke(id: string): Promise<void>
  /**
   * Marks the session `key` as ended at Mindbody until `until` (ms since the epoch), in one atomic
   * step: `true` the first time only, so a dead cookie costs one upstream revoke however often, and
   * on however many instances, it is replayed.
   */
  claimEnd(key: string, until: number): Promise<boolean>
  /** For a desk (the `desk` option): the value kept under `key`, or `null`. */
  read?(key: string): Promise<string | null>
  /**
   * For a desk: sets `key` to `next` (or forgets it, `null`) for `ttlMs`, only if it holds `expected`
   * (`null`: nothing), in one atomic step; answers whether it did. Two instances that change one desk
   * at once never both win.
   */
  swap?(key: string, expected: string | null, next: string | null, ttlMs: number): Promise<boolean>
}
