import type { SealedToken } from '../cookie/sessionSealer'
import { refuse } from '../responses'
import type { DeskCall, Desks } from './createDesks'
import { entryOf, newDesk, park, remove, type DeskRecord, type DeskStaff } from './deskRecord'

/** What keeping sessions at desks needs of the proxy's sessions. */
export interface KeeperNeeds {
  /** Keeps a new sign-in's record until `until`. */
  create: (sealed: SealedToken, until: number) => Promise<void>
  /** At a sign-out: `true` if `sealed`'s token is still to revoke. */
  forget: (sealed: SealedToken) => Promise<boolean>
  revokeUpstream: (sealed: SealedToken) => Promise<unknown>
  /** The `Set-Cookie` that clears a site's cookie. */
  clear: (siteId: string) => string
}

const nameOf = ({ User }: SealedToken) =>
  [User?.FirstName, User?.LastName]
    .filter((part) => typeof part === 'string' && part)
    .join(' ')
    .slice(0, 100)

/** Why a new sign-in cannot join `record`, as the refusal; `undefined` when it can. */
function refusal(record: DeskRecord, entry: Pick<DeskStaff, 'staff' | 'userId'>, maxStaff: number) {
  if (record.staff.some((e) => e.staff === entry.staff)) return undefined
  if (record.staff.some((e) => e.userId === entry.userId))
    return refuse(
      409,
      'Another owner or admin is signed in at this desk: end their shift first.',
      'DeskConflict',
    )
  if (record.staff.length >= maxStaff)
    return refuse(
      409,
      'This desk has as many staff members signed in as it may: end a shift first.',
      'DeskFull',
    )
  return undefined
}

/** A new sign-in's entry at a desk, its token sealed. */
async function entryFor(
  desks: Desks,
  sealed: SealedToken,
  until: number,
  limitKey: string,
): Promise<DeskStaff> {
  const { desk: _, ...token } = sealed
  const { sid, User, staff = '' } = sealed
  const [userId, name, kept] = [User?.Id ?? null, nameOf(sealed), await desks.seal(token, until)]
  return { sid: sid!, userId, name, staff, limitKey, token: kept, until, tries: 0, parkedAt: null }
}

/** `entry` joins `record` as its active staff member, whoever was parked: the entry it replaces, or the refusal. */
function join(record: DeskRecord, entry: DeskStaff, maxStaff: number) {
  const refused = refusal(record, entry, maxStaff)
  if (refused) return refused
  const same = record.staff.find((e) => e.staff === entry.staff)
  if (same) remove(record, same)
  park(record)
  record.staff.push(entry)
  record.active = entry.sid
  return same
}

/** `work`'s result; when it fails, `forget` is done first, as far as it can be, and the failure thrown on. */
async function forgetting<T>(work: Promise<T>, forget: () => Promise<unknown>) {
  try {
    return await work
  } catch (error) {
    await forget().catch(() => undefined)
    throw error
  }
}

/**
 * Sessions kept at desks: a sign-in joins the request's desk (or opens one) and becomes its active
 * staff member, whoever was active parked; a renewed token replaces its entry's; a session that ends
 * leaves its desk and no one else's. Each is one change of the desk.
 */
export function deskKeeper(desks: Desks, needs: KeeperNeeds) {
  const { maxStaff } = desks.settings
  return {
    /** Whether a sign-in as `staff` would find `call`'s desk full: its refusal, before Mindbody is asked. */
    full: (desk: DeskCall | undefined, staff: string) =>
      desk && refusal(desk.record, { staff, userId: undefined as never }, maxStaff),
    /**
     * A new sign-in at `call`'s desk (a new desk when the call has none, or its desk is gone): the
     * desk pass's `Set-Cookie`, the session as the desk keeps it, and the desk; or the refusal (its
     * session then forgotten: the caller revokes its token).
     */
    async admit(desk: DeskCall | undefined, sealed: SealedToken, until: number, limitKey: string) {
      const entry = await entryFor(desks, sealed, until, limitKey)
      await needs.create(sealed, until)
      // A store that cannot seat it leaves no record of the sign-in, as if it were kept elsewhere.
      const seated = <T>(work: Promise<T>) => forgetting(work, () => needs.forget(sealed))
      const changed = desk && (await seated(desks.change(desk.id, (record) => join(record, entry, maxStaff))))
      if (changed?.result instanceof Response) {
        await needs.forget(sealed)
        return changed.result
      }
      // The same staff member signed in again: their sign-in before ends.
      const replaced = changed?.result && (await desks.sessionOf(changed.result, desk!.id))
      if (replaced && (await needs.forget(replaced)) && replaced.AccessToken !== sealed.AccessToken)
        await needs.revokeUpstream(replaced)
      let record = changed?.record
      if (!record) await seated(desks.create((record = newDesk(desks.newId(), sealed.siteId, entry))))
      return { cookie: await desks.pass(record), sealed: { ...sealed, desk: record.id }, record }
    },
    /**
     * Replaces the token of `sealed`'s entry, only while it is at its desk: the pass's `Set-Cookie`,
     * lasting as long as the desk now does (a renewed token outlives the pass), or `null` when it has left.
     */
    async update(sealed: SealedToken, until: number) {
      const { desk: id, ...token } = sealed
      const kept = await desks.seal(token, until)
      const changed = await desks.change(id!, (record) => {
        const entry = entryOf(record, { sid: sealed.sid })
        if (entry) Object.assign(entry, { token: kept, until })
        return !!entry
      })
      return changed?.result && changed.record ? desks.pass(changed.record) : null
    },
    /** Takes `sealed`'s session off its desk: a new pass, or the cookie cleared when the desk is left empty. */
    async drop(sealed: SealedToken) {
      const changed = await desks.change(sealed.desk!, (record) => {
        const entry = entryOf(record, { sid: sealed.sid })
        if (entry) remove(record, entry)
      })
      return changed?.record ? desks.pass(changed.record) : needs.clear(sealed.siteId)
    },
  }
}

/** Sessions kept at desks: see `deskKeeper`. */
export type DeskKeeper = ReturnType<typeof deskKeeper>
