import { createSender } from './createUserTokenApi'
import { needProxy } from './modes'
import { deskOf, parseDesk, type DeskState } from './deskState'
import { parseToken } from './parseToken'
import { isText, need } from './validate'
import type { ArrivedToken, RequestOptions } from './types'
import type { ResolvedMindbodyConfig } from './MindbodyConfig'

/**
 * Who unlocks the desk, or approves a call: a staff member of the desk and their desk PIN.
 *
 * @example
 * await unlock({ userId: member.userId, pin: '4711' } satisfies DeskCredentials)
 */
export interface DeskCredentials {
  /** The staff member's `DeskStaff.userId`. */
  userId: number | null
  /** Their desk PIN, digits only: sent once, kept nowhere. */
  pin: string
}

/**
 * An approval: a staff member's PIN, and a reason when the approval needs one.
 *
 * @example
 * await approve({ userId: manager.userId, pin, reason: 'Double charge' } satisfies ApproveInput)
 */
export interface ApproveInput extends DeskCredentials {
  /** Why; required when `PendingApproval.needsReason`. */
  reason?: string
}

const checkUserId = (userId: unknown) =>
  need(userId === null || (Number.isSafeInteger(userId) && (userId as number) >= 0), 'userId')

/** Throws `'invalid-input'` for a PIN that is not 1 to 32 digits; the message never holds it. */
export const checkPin = (pin: unknown) => need(typeof pin === 'string' && /^\d{1,32}$/.test(pin), 'pin')

/** Throws `'invalid-input'` for a bad user id or PIN, naming the field, never its value. */
export function checkCredentials(credentials: DeskCredentials): void {
  checkUserId(credentials?.userId)
  checkPin(credentials.pin)
}

const idPath = (id: string) => {
  need(typeof id === 'string' && /^[0-9a-f]{32}$/.test(id), 'approval id')
  return `/desk/approvals/${id}`
}

/** The desk an answer must hold. */
const deskIn = (body: unknown) => parseDesk((body as { Desk?: unknown } | null)?.Desk)

/**
 * The `/server` proxy's desk routes for `config` (server mode only), through `createSender`: each
 * validates its input and sends nothing when it is bad, and reads the `Desk` of the answer strictly.
 */
export function createDeskCalls(config: ResolvedMindbodyConfig) {
  needProxy(config, 'The front desk')
  const send = createSender(config)
  const post = async (path: string, data?: object, options?: RequestOptions) =>
    (await send('POST', path, options, undefined, data)).body
  return {
    /** `GET /session`: the desk, or `null` when there is none. */
    read: async (options?: RequestOptions) => deskOf((await send('GET', '/session', options)).body),
    lock: async (options?: RequestOptions) => deskIn(await post('/desk/lock', undefined, options)),
    /** The unlocked staff member's token, as it arrived, and the desk. */
    async unlock(credentials: DeskCredentials, options?: RequestOptions) {
      checkCredentials(credentials)
      const { userId: UserId, pin: Pin } = credentials
      const { body, skew } = await send('POST', '/desk/unlock', options, undefined, { UserId, Pin })
      const arrived: ArrivedToken = { token: parseToken(body, true), skew }
      return { arrived, desk: deskIn(body) }
    },
    /** Sets the active staff member's PIN; changing one needs their `current` PIN. */
    async setPin(pin: string, current?: string, options?: RequestOptions): Promise<DeskState> {
      checkPin(pin)
      if (current !== undefined) checkPin(current)
      return deskIn(await post('/desk/pin', { Pin: pin, CurrentPin: current }, options))
    },
    /** Ends `userId`'s shift, or the active one's; `null` when the desk is now empty. */
    async end(userId?: number | null, options?: RequestOptions): Promise<DeskState | null> {
      if (userId !== undefined) checkUserId(userId)
      const body = await post('/desk/end', { UserId: userId }, options)
      return body === null ? null : deskIn(body)
    },
    async approve(id: string, input: ApproveInput, options?: RequestOptions): Promise<void> {
      checkCredentials(input)
      need(input.reason === undefined || isText(input.reason), 'reason')
      const path = idPath(id)
      await post(path, { UserId: input.userId, Pin: input.pin, Reason: input.reason }, options)
    },
    async cancel(id: string, options?: RequestOptions): Promise<void> {
      await send('DELETE', idPath(id), options)
    },
  }
}

/** The desk calls of one config. */
export type DeskCalls = ReturnType<typeof createDeskCalls>
