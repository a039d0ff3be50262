import { STORE_DOWN } from '../storeDeadline'
import type { CookieSettings } from '../cookie/cookieJar'
import type { createSessionSealer, SealedToken } from '../cookie/sessionSealer'
import type { SessionStore } from '../stores/types'
import type { DeskSettings } from './deskOptions'
import { deskUntil, lapsed, type DeskRecord, type DeskStaff } from './deskRecord'

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
const RECORD = 'desk'

/**
 * Desks as the session store keeps them: each record sealed whole (names, PIN hashes and tokens are
 * never readable in the store), read, and changed in one compare-and-set. `end` ends an entry's
 * sign-in (its token revoked upstream) once it has left its desk.
 */
export function deskStore(
  { sealer, store, settings }: DeskNeeds,
  end: (entry: DeskStaff, id: string) => Promise<void>,
) {
  const openRecord = async (raw: string | null) =>
    raw === null ? null : (((await sealer.unwrap(raw, RECORD))?.record as DeskRecord | undefined) ?? null)
  const sealRecord = (record: DeskRecord) => sealer.wrap({ record }, RECORD, deskUntil(record))
  const ttl = (record: DeskRecord) => deskUntil(record) - Date.now()
  return {
    openRecord,
    /** A new desk holding `record`; `false` if its id was taken (it never is). */
    create: async (record: DeskRecord) => store.swap(record.id, null, await sealRecord(record), ttl(record)),
    /**
     * Changes desk `id` with `edit` (which changes the copy it is given, and answers what the caller
     * needs), in one compare-and-set, tried again on a race: `null` when the desk is gone. A desk left
     * with nobody is forgotten; sign-ins parked past `parkedMs` leave, and end.
     */
    async change<T>(id: string, edit: (record: DeskRecord) => T | Promise<T>) {
      for (let tries = 0; tries < TRIES; tries++) {
        const raw = await store.read(id)
        const record = await openRecord(raw)
        if (!record) return null
        const gone = record.staff.filter((e) => lapsed(e, settings.parkedMs))
        record.staff = record.staff.filter((e) => !gone.includes(e))
        record.approvals = record.approvals.filter((a) => a.until > Date.now())
        const result = await edit(record)
        const next = record.staff.length ? await sealRecord(record) : null
        if (await store.swap(id, raw, next, ttl(record))) {
          await Promise.all(gone.map((e) => end(e, id)))
          return { result, record: next === null ? null : record }
        }
      }
      throw STORE_DOWN
    },
  }
}
