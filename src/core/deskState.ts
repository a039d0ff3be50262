import { MindbodyError } from './MindbodyError'

/**
 * One staff member signed in at the front desk, as the `/server` proxy lists them: nothing secret.
 *
 * @example
 * const parked = staff.filter((member: DeskStaff) => !member.isActive)
 */
export interface DeskStaff {
  /** Mindbody's `User.Id` (0 for owners and admins), for `unlock`, `endShift` and `approve`. */
  userId: number | null
  /** "FirstName LastName". */
  name: string
  /** Whether they have set a desk PIN, so they can unlock with it. */
  hasPin: boolean
  /** Whether they are the active one, whose token the page's calls use. */
  isActive: boolean
}

/**
 * The front desk of this browser: whether it is locked, the PIN length it takes, and who is signed in.
 *
 * @example
 * const names = (desk: DeskState) => desk.staff.map((member) => member.name)
 */
export interface DeskState {
  isLocked: boolean
  /** How many digits a PIN has. */
  pinLength: number
  staff: DeskStaff[]
}

type Fields = Record<string, unknown>

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Whether `value` is an object whose fields have these `typeof`s. */
const typed = (value: unknown, types: Record<string, string>): value is Fields =>
  isObject(value) && Object.entries(types).every(([key, type]) => typeof value[key] === type)

/** Throws the `'invalid-response'` error for an answer that is not the desk, unless `ok`. */
function needDesk(ok: unknown): asserts ok {
  if (!ok) throw new MindbodyError('invalid-response', 'Invalid response: expected the desk')
}

/** Reads the proxy's `Desk` strictly: any field of the wrong type refuses the whole answer. */
export function parseDesk(desk: unknown): DeskState {
  needDesk(
    typed(desk, { Locked: 'boolean' }) && Number.isSafeInteger(desk.PinLength) && Array.isArray(desk.Staff),
  )
  return {
    isLocked: desk.Locked as boolean,
    pinLength: desk.PinLength as number,
    staff: desk.Staff.map((member: unknown) => {
      needDesk(typed(member, { Name: 'string', HasPin: 'boolean', Active: 'boolean' }))
      const { UserId, Name, HasPin, Active } = member
      needDesk(UserId === null || (Number.isSafeInteger(UserId) && (UserId as number) >= 0))
      return { userId: UserId as number | null, name: Name as string, hasPin: !!HasPin, isActive: !!Active }
    }),
  }
}

/** The `Desk` of a proxy's answer, or `null` when it has none (no desk, or a proxy without one). */
export const deskOf = (body: unknown): DeskState | null =>
  isObject(body) && body.Desk != null ? parseDesk(body.Desk) : null

/** Whether a `GET /session` answer is a locked desk: a `Desk` and no token (whose `User` it would have). */
export const isLockedDesk = (body: unknown): boolean => {
  const { Desk, User } = (body ?? {}) as Fields
  return Desk != null && User == null
}
