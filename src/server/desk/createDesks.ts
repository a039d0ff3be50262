import { cookieName, readCookies, setCookie } from '../cookie/cookieHeader'
import type { SealedToken } from '../cookie/sessionSealer'
import { hex } from '../hex'
import { deskUntil, lapsed, type DeskRecord, type DeskStaff } from './deskRecord'
import { deskStore, type DeskNeeds } from './deskStore'

export type { DeskNeeds } from './deskStore'

/** A request's desk, as its cookie names it: the record read at the start, and its active session. */
export interface DeskCall {
  id: string
  record: DeskRecord
  /** The active staff member's session, or `null` when the desk is locked. */
  sealed: SealedToken | null
}

const PASS = 'desk-pass'

/**
 * The proxy's desks, in the session store, each named by a random id that the browser's cookie
 * carries sealed (its pass): every staff token stays on the server. Every change reads the desk,
 * changes a copy, and writes it back only if no one else wrote meanwhile, so two requests or two
 * instances never undo each other; parked sign-ins past `parkedMs` end at the next change.
 */
export function createDesks(needs: DeskNeeds) {
  const { settings, sealer, store, endSession } = needs
  const { secure, cookiePath, attributes, transient } = needs.cookie
  const name = (siteId: string) => cookieName(siteId, secure)

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
    newId: () => hex(crypto.getRandomValues(new Uint8Array(16))),
    /** The `Set-Cookie` of the pass to `record`, lasting as long as the desk. */
    async pass(record: DeskRecord) {
      const until = deskUntil(record)
      const value = await sealer.wrap({ desk: record.id, siteId: record.siteId }, PASS, until)
      const maxAge = transient() ? undefined : (until - Date.now()) / 1000
      return setCookie(name(record.siteId), value, maxAge, cookiePath, attributes)
    },
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
      const active = record.staff.find((e) => e.sid === record.active)
      if (!record.staff.length) return false
      return { id: record.id, record, sealed: active ? await sessionOf(active, record.id) : null }
    },
  }
}

/** The proxy's desks: see `createDesks`. */
export type Desks = ReturnType<typeof createDesks>
