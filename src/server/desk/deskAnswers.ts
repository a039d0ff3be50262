import { readBody, readJson } from '../readBody'
import { json, refuse } from '../responses'

/** 423 `DeskLocked`: the desk's screen is locked until a staff member unlocks it with their PIN. */
export const deskLocked = () => refuse(423, 'The desk is locked: unlock it with a PIN.', 'DeskLocked')

/**
 * 409 `DeskChanged`: the request was sent for a staff member who is no longer active at the desk (a
 * sign-in, switch, lock or sign-out overtook it on the way); nothing was sent.
 */
export const deskChanged = () =>
  refuse(409, 'Someone else is active at this desk now: nothing was sent.', 'DeskChanged')

/** 403 `WrongPin`, with the attempts left (0: that staff member's sign-in has ended). */
export const wrongPin = (left: number) =>
  json(
    {
      Error: {
        Message: left ? 'Wrong PIN.' : 'Wrong PIN too many times: sign in again with your password.',
        Code: 'WrongPin',
        AttemptsLeft: left,
      },
    },
    403,
  )

/** 404 for a staff member, or an approval, the desk does not have. */
export const notAtDesk = (what: string) => refuse(404, `No such ${what} at this desk.`, 'NotFound')

/** 409 `PinNotSet`: that staff member has no PIN, and must sign in with their password. */
export const pinNotSet = () =>
  refuse(409, 'This staff member has set no PIN: sign in with the password.', 'PinNotSet')

const invalid = (message: string) => refuse(400, message, 'InvalidParameter')

/** The fields a desk route's JSON body may hold, checked; or the refusal. */
export async function deskBody(request: Request, pinLength: number) {
  const body = await readBody(request, 4096)
  if (!body) return refuse(413, 'Request body too large.', 'PayloadTooLarge')
  let fields: Record<string, unknown>
  try {
    fields = body.length ? (readJson(body) as Record<string, unknown>) : {}
  } catch {
    return invalid('The body must be JSON.')
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    return invalid('The body must be a JSON object.')
  const { UserId, Pin, CurrentPin, Reason } = fields
  if (UserId !== undefined && UserId !== null && !Number.isSafeInteger(UserId))
    return invalid('UserId must be a staff member’s User.Id.')
  const digits = new RegExp(`^\\d{${pinLength}}$`)
  for (const [name, value] of Object.entries({ Pin, CurrentPin }))
    if (value !== undefined && !(typeof value === 'string' && digits.test(value)))
      return invalid(`${name} must be ${pinLength} digits.`)
  if (Reason !== undefined && !(typeof Reason === 'string' && Reason.trim() && Reason.length <= 500))
    return invalid('Reason must be some text, at most 500 characters.')
  return {
    userId: UserId as number | null | undefined,
    pin: Pin as string | undefined,
    currentPin: CurrentPin as string | undefined,
    reason: (Reason as string | undefined)?.trim(),
  }
}
