import { cookieName, readCookies, setCookie } from '../cookie/cookieHeader'
import type { SealedToken } from '../cookie/sessionSealer'
import { hex } from '../hex'
import { deskUntil, lapsed, type DeskRecord, type DeskStaff } from './deskRecord'
import { deskStore, type DeskNeeds } from './deskStore'

export type { DeskNeeds } from './deskStore'

/**
 * A request's desk, as its cookie names it: the record read at the start, its active session, and
 * whether the cookie was sealed for another moment of the desk (`stale`).
 */
export interface DeskCall {
  id: string
  record: DeskRecord
  /** The active staff member's session, or `null` when the desk is locked. */
  active: SealedToken | null
  /** The session the request is for: the active one, unless the cookie is stale; `null` when locked. */
  sealed: SealedToken | null
  /**
   * The cookie names another active session than the desk's now (`named`; `null`: it was sealed while
   * locked): the request was sent before a sign-in, a switch, a lock or a sign-out it overtook on the
   * way, and is for who was active then, not for who is now.
   */
  stale: boolean
  named: string | null
}

const PASS = 'desk-pass'

/**
 * The `Set-Cookie` of the pass to `record` as it is now (who is active, so that a request sent before
 * a change is told apart), lasting as long as the desk.
 */
async function passCookie({ sealer, cookie }: DeskNeeds, record: DeskRecord) {
  const { secure, cookiePath, attributes, transient } = cookie
  const until = deskUntil(record)
  const value = await sealer.wrap({ desk: record.id, siteId: record.siteId, sid: record.active }, PASS, until)
  const maxAge = transient() ? undefined : (until - Date.now()) / 1000
  return setCookie(cookieName(record.siteId, secure), value, maxAge, cookiePath, attributes)
}

/**
 * The proxy's desks, in the session store, each named by a random id that the browser's cookie
 * carries sealed (its pass): every staff token stays on the server. Every change reads the desk,
 * changes a copy, and writes it back only if no one else wrote meanwhile, so two requests or two
 * instances never undo each other; parked sign-ins past `parkedMs` end at the next change.
 */
export function createDesks(needs: DeskNeeds) {
  const { settings, sealer, store, endSession } = needs
  const name = (siteId: string) => cookieName(siteId, needs.cookie.secure)

  /** An entry's session, as its cookie would open: with the desk's id. */
  const sessionOf = async (entry: DeskStaff, id: string) => {
    const token = await sealer.open(entry.token)
    return token && { ...token, desk: id }
  }
  const end = async (entry: DeskStaff, id: string) => {
    const sealed = await sessionOf(entry, id)
    if (sealed) await endSession(sealed)
  }

  const { change, create, openRecord } = deskStore(needs, end)

  return {
    settings,
    change,
    end,
    sessionOf,
    /** `token` sealed as a session cookie seals it, for its entry. */
    seal: (token: SealedToken, until: number) => sealer.seal(token, until),
    create,
    /** The session `desk`'s cookie was sealed for, if it is still at the desk. */
    async named(desk: DeskCall) {
      const entry = desk.record.staff.find((e) => e.sid === desk.named)
      return entry ? sessionOf(entry, desk.id) : null
    },
    newId: () => hex(crypto.getRandomValues(new Uint8Array(16))),
    pass: (record: DeskRecord) => passCookie(needs, record),
    /**
     * The request's desk for `siteId`: `null` with no cookie, `false` for one that does not open or a
     * desk that is gone, `'ambiguous'` for two cookies.
     */
    async opened(request: Request, siteId: string): Promise<DeskCall | null | false | 'ambiguous'> {
      const [value, ...more] = readCookies(request.headers.get('Cookie'), name(siteId))
      if (more.length) return 'ambiguous'
      if (!value) return null
      const pass = await sealer.unwrap(value, PASS)
      if (!pass || pass.siteId !== siteId || typeof pass.desk !== 'string') return false
      const record = await openRecord(await store.read(pass.desk))
      if (!record || record.siteId !== siteId) return false
      record.staff = record.staff.filter((e) => !lapsed(e, settings.parkedMs))
      const entry = record.staff.find((e) => e.sid === record.active)
      if (!record.staff.length) return false
      const active = entry ? await sessionOf(entry, record.id) : null
      const named = typeof pass.sid === 'string' ? pass.sid : null
      const stale = named !== record.active
      return { id: record.id, record, active, sealed: stale ? null : active, stale, named }
    },
  }
}

/** The proxy's desks: see `createDesks`. */
export type Desks = ReturnType<typeof createDesks>
