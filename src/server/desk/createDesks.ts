import type { CookieSettings } from '../cookie/cookieJar'
import { cookieName, readCookies, setCookie } from '../cookie/cookieHeader'
import type { createSessionSealer, SealedToken } from '../cookie/sessionSealer'
import { hex } from '../hex'
import { STORE_DOWN } from '../storeDeadline'
import type { SessionStore } from '../stores/types'
import type { DeskSettings } from './deskOptions'
import { deskUntil, lapsed, type DeskRecord, type DeskStaff } from './deskRecord'

/** A request's desk, as its cookie names it: the record read at the start, and its active session. */
export interface DeskCall {
  id: string
  record: DeskRecord
  /** The active staff member's session, or `null` when the desk is locked. */
  sealed: SealedToken | null
}

/** What the desks need from the rest of the proxy. */
export interface DeskNeeds {
  settings: DeskSettings
  cookie: CookieSettings
  sealer: ReturnType<typeof createSessionSealer>
  /** The session store, with its deadline: it keeps desks (`read`, `swap`). */
  store: Required<SessionStore>
  /** Ends a session whose token is `sealed`: its record gone, its token revoked upstream once. */
  endSession: (sealed: SealedToken) => Promise<unknown>
}

/** A desk changes in one compare-and-set; this many tries when other requests change it meanwhile. */
const TRIES = 8
const PASS = 'desk-pass'
const RECORD = 'desk'

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

  const openRecord = async (raw: string | null) =>
    raw === null ? null : (((await sealer.unwrap(raw, RECORD))?.record as DeskRecord | undefined) ?? null)
  const sealRecord = (record: DeskRecord) => sealer.wrap({ record }, RECORD, deskUntil(record))
  /** An entry's session, as its cookie would open: with the desk's id. */
  const sessionOf = async (entry: DeskStaff, id: string) => {
    const token = await sealer.open(entry.token)
    return token && { ...token, desk: id }
  }
  const end = async (entry: DeskStaff, id: string) => {
    const sealed = await sessionOf(entry, id)
    if (sealed) await endSession(sealed)
  }

  /**
   * Changes desk `id` with `edit` (which changes the copy it is given, and answers what the caller
   * needs), in one compare-and-set, tried again on a race: `null` when the desk is gone. A desk left
   * with nobody is forgotten.
   */
  async function change<T>(id: string, edit: (record: DeskRecord) => T | Promise<T>) {
    for (let tries = 0; tries < TRIES; tries++) {
      const raw = await store.read(id)
      const record = await openRecord(raw)
      if (!record) return null
      const gone = record.staff.filter((e) => lapsed(e, settings.parkedMs))
      record.staff = record.staff.filter((e) => !gone.includes(e))
      record.approvals = record.approvals.filter((a) => a.until > Date.now())
      const result = await edit(record)
      const next = record.staff.length ? await sealRecord(record) : null
      if (await store.swap(id, raw, next, deskUntil(record) - Date.now())) {
        await Promise.all(gone.map((e) => end(e, id)))
        return { result, record: next === null ? null : record }
      }
    }
    throw STORE_DOWN
  }

  return {
    settings,
    change,
    end,
    sessionOf,
    /** `token` sealed as a session cookie seals it, for its entry. */
    seal: (token: SealedToken, until: number) => sealer.seal(token, until),
    /** A new desk holding `record`; `false` if its id was taken (it never is). */
    create: async (record: DeskRecord) =>
      store.swap(record.id, null, await sealRecord(record), deskUntil(record) - Date.now()),
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
