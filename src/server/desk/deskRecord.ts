import type { KeptPin } from './pinHash'

/**
 * One staff member signed in at a desk: their token sealed as a session cookie seals it (never in the
 * browser), who they are, their PIN's hash, their wrong PINs, and since when they are parked.
 */
export interface DeskStaff {
  /** The session's id in the session store. */
  sid: string
  userId: number | null
  /** First and last name, as Mindbody gave them. */
  name: string
  /** Who signed in: the keyed hash of the site and the username. */
  staff: string
  /** The sign-in limit's key for their username, which wrong PINs count against. */
  limitKey: string
  /** The token, sealed. */
  token: string
  /** When the token's sealing lapses, in ms since the epoch. */
  until: number
  pin?: KeptPin
  /** Wrong PINs since the last right one. */
  tries: number
  /** When they were parked, or `null` while active. */
  parkedAt: number | null
}

/** An approval the desk waits for, or has given: bound to one call (method, path, query, body). */
export interface DeskApproval {
  id: string
  /** `METHOD /path?query`, as the call came. */
  call: string
  /** The SHA-256 of the call's body, hex. */
  body: string
  /** The positions of the permissions the approver needs. */
  needs: number[]
  reason: boolean
  until: number
  /** The approver's session id, once approved. */
  approvedBy?: string
}

/** One desk: its staff, who of them is active (`null`: locked), who was before the lock, and its approvals. */
export interface DeskRecord {
  id: string
  siteId: string
  active: string | null
  last: string | null
  staff: DeskStaff[]
  approvals: DeskApproval[]
}

/** What the browser may see of a desk: names, who is active, who has a PIN; nothing secret. */
export const shownDesk = (record: DeskRecord, pinLength: number) => ({
  Locked: record.active === null,
  PinLength: pinLength,
  Staff: record.staff.map((entry) => ({
    UserId: entry.userId,
    Name: entry.name,
    HasPin: !!entry.pin,
    Active: entry.sid === record.active,
  })),
})

/** Whether `entry`'s sign-in is over: its token's sealing lapsed, or it has been parked `parkedMs`. */
export const lapsed = (entry: DeskStaff, parkedMs: number, now = Date.now()) =>
  entry.until <= now || (entry.parkedAt !== null && now - entry.parkedAt >= parkedMs)

/** When a desk may be forgotten: when the last of its sign-ins lapses. */
export const deskUntil = (record: DeskRecord) =>
  Math.max(Date.now() + 60_000, ...record.staff.map((e) => e.until))

/** A new desk, `id`, of `siteId`, with `entry` alone at it and active. */
export const newDesk = (id: string, siteId: string, entry: DeskStaff): DeskRecord => ({
  id,
  siteId,
  active: entry.sid,
  last: null,
  staff: [entry],
  approvals: [],
})

/** `record`'s entry of session `sid`, or of staff member `userId`. */
export const entryOf = (record: DeskRecord, by: { sid?: string | null; userId?: unknown }) =>
  record.staff.find((e) => (by.sid !== undefined ? e.sid === by.sid : e.userId === by.userId))

/** Takes `entry` off `record`: the desk is locked if it was the active one. */
export function remove(record: DeskRecord, entry: DeskStaff) {
  record.staff = record.staff.filter((e) => e !== entry)
  if (record.active === entry.sid) record.active = null
  if (record.last === entry.sid) record.last = null
}

/** Parks whoever is active on `record`, at `now`. */
export function park(record: DeskRecord, now = Date.now()) {
  const active = entryOf(record, { sid: record.active })
  if (active) active.parkedAt = now
  record.last = record.active ?? record.last
  record.active = null
}
