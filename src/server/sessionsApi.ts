import { MindbodyError } from '../core/MindbodyError'
import type { SessionRecord, SessionStore } from './stores/types'

/**
 * Whose sessions `proxy.sessions` lists or revokes: every one of `siteId`, or a staff member's, named
 * by `userId` or, for owners and admins (whose `userId` is 0 alike), by `username`.
 *
 * @example
 * const filter: SessionFilter = { siteId: -99, username: 'front.desk.owner' }
 */
export interface SessionFilter {
  siteId: string | number
  /** A staff member's `User.Id`. Never 0, which every owner and admin shares: use `username` then. */
  userId?: number
  /** The username the staff member signs in with; the proxy turns it into the session's staff identity. */
  username?: string
}

/**
 * `proxy.sessions`: the server-side API over the session store, for an admin page or a script.
 *
 * @example
 * const staffSessions = await proxy.sessions.list({ siteId: -99, userId: 100000123 })
 * await proxy.sessions.revoke({ siteId: -99, userId: 100000123 }) // sign out that staff member everywhere
 * await proxy.sessions.revoke({ siteId: -99, username: 'studio.owner' }) // an owner, whose userId is 0
 */
export interface ProxySessions {
  /** The sessions of `siteId`, those of one staff member only when `userId` or `username` is given. Throws without a store. */
  list(filter: SessionFilter): Promise<SessionRecord[]>
  /**
   * Ends sessions of `siteId`: one (`sessionId`), a staff member's (`userId` or `username`), or all of
   * the site. Each one's Mindbody token is revoked upstream the next time its cookie is seen. Answers
   * how many ended.
   */
  revoke(filter: SessionFilter & { sessionId?: string }): Promise<number>
}

/** `proxy.sessions` over `store`: `valid` tells a well-formed record of a site, `identity` names a login. */
export function sessionsApi(
  store: SessionStore | undefined,
  valid: (record: SessionRecord | null, siteId: string, id?: string) => record is SessionRecord,
  identity: (siteId: string, username: string) => Promise<string>,
): ProxySessions {
  // Mistakes in the calling code are thrown at once, not as a rejection.
  const need = ({ userId }: SessionFilter) => {
    if (!store)
      throw new MindbodyError('invalid-input', 'proxy.sessions needs a session store: session: { store }')
    if (userId === 0)
      throw new MindbodyError(
        'invalid-input',
        'userId 0 is every owner and admin of the site: end an owner’s sessions by sessionId, or by username: proxy.sessions.revoke({ siteId, username })',
      )
    return store
  }
  /** Whether a record is one of the staff member `filter` names, by `userId` or by staff identity. */
  const whose = async ({ siteId, userId, username }: SessionFilter) => {
    const staff = username === undefined ? undefined : await identity(String(siteId), username)
    return (r: SessionRecord) =>
      (userId === undefined || r.userId === userId) && (staff === undefined || r.staff === staff)
  }
  const list = (filter: SessionFilter) => {
    const store = need(filter)
    const site = String(filter.siteId)
    return whose(filter).then(async (mine) =>
      (await store.list(site)).filter((r) => valid(r, site) && mine(r)),
    )
  }
  return {
    list,
    revoke({ sessionId, ...filter }) {
      const store = need(filter)
      const site = String(filter.siteId)
      const one = async (id: string) => {
        const [record, mine] = await Promise.all([store.get(id), whose(filter)])
        return valid(record, site, id) && mine(record) ? [record] : []
      }
      return (sessionId === undefined ? list(filter) : one(sessionId)).then(async (found) => {
        await Promise.all(found.map((r) => store.revoke(r.id)))
        return found.length
      })
    },
  }
}
