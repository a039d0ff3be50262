import type { SealedToken } from '../cookie/sessionSealer'
import type { ProxyCall } from '../readCall'
import { refuse } from '../responses'
import type { Desks } from './createDesks'
import { entryOf, park, remove, type DeskRecord, type DeskStaff } from './deskRecord'

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

/**
 * Sessions kept at desks: a sign-in joins the request's desk (or opens one) and becomes its active
 * staff member, whoever was active parked; a renewed token replaces its entry's; a session that ends
 * leaves its desk and no one else's. Each is one change of the desk.
 */
export function deskKeeper(desks: Desks, needs: KeeperNeeds) {
  const { maxStaff } = desks.settings
  return {
    /** Whether a sign-in as `staff` would find `call`'s desk full: its refusal, before Mindbody is asked. */
    full: (call: ProxyCall, staff: string) =>
      call.desk && refusal(call.desk.record, { staff, userId: undefined as never }, maxStaff),
    /**
     * A new sign-in at `call`'s desk (a new desk when the call has none, or its desk is gone): the
     * desk pass's `Set-Cookie`, the session as the desk keeps it, and the desk; or the refusal (its
     * session then forgotten: the caller revokes its token).
     */
    async admit(call: ProxyCall, sealed: SealedToken, until: number, limitKey: string) {
      const { desk: _, ...token } = sealed
      const entry: DeskStaff = {
        sid: sealed.sid!,
        userId: sealed.User?.Id ?? null,
        name: nameOf(sealed),
        staff: sealed.staff ?? '',
        limitKey,
        token: await desks.seal(token, until),
        until,
        tries: 0,
        parkedAt: null,
      }
      await needs.create(sealed, until)
      const changed =
        call.desk &&
        (await desks.change(call.desk.id, (record) => {
          const refused = refusal(record, entry, maxStaff)
          if (refused) return refused
          const same = record.staff.find((e) => e.staff === entry.staff)
          if (same) remove(record, same)
          park(record)
          record.staff.push(entry)
          record.active = entry.sid
          return same
        }))
      if (changed?.result instanceof Response) {
        await needs.forget(sealed)
        return changed.result
      }
      const replaced = changed?.result && (await desks.sessionOf(changed.result, call.desk!.id))
      if (replaced && (await needs.forget(replaced)) && replaced.AccessToken !== sealed.AccessToken)
        await needs.revokeUpstream(replaced)
      let record = changed?.record
      if (!record) {
        record = {
          id: desks.newId(),
          siteId: sealed.siteId,
          active: entry.sid,
          last: null,
          staff: [entry],
          approvals: [],
        }
        await desks.create(record)
      }
      return { cookie: await desks.pass(record), sealed: { ...sealed, desk: record.id }, record }
    },
    /** Replaces the token of `sealed`'s entry, only while it is at its desk: `false` when it has left. */
    async update(sealed: SealedToken, until: number) {
      const { desk: id, ...token } = sealed
      const kept = await desks.seal(token, until)
      const changed = await desks.change(id!, (record) => {
        const entry = entryOf(record, { sid: sealed.sid })
        if (entry) Object.assign(entry, { token: kept, until })
        return !!entry
      })
      return !!changed?.result
    },
    /** Takes `sealed`'s session off its desk: the cookie cleared only when the desk is left empty. */
    async drop(sealed: SealedToken) {
      const changed = await desks.change(sealed.desk!, (record) => {
        const entry = entryOf(record, { sid: sealed.sid })
        if (entry) remove(record, entry)
      })
      return changed?.record ? undefined : needs.clear(sealed.siteId)
    },
  }
}

/** Sessions kept at desks: see `deskKeeper`. */
export type DeskKeeper = ReturnType<typeof deskKeeper>
