import type { ProxyEventBase } from './proxyEventBase'

/**
 * What happened at a shared desk (the `desk` option): locked; unlocked by a staff member (`switched`
 * when someone else was active before); a PIN set; a wrong PIN (`ended` when it was one too many,
 * and that staff member's parked sign-in ended); a shift ended. The user fields name the staff member
 * it concerns: who unlocked, whose PIN was wrong, whose shift ended; for a lock, who was active.
 * Never the PIN.
 *
 * @example
 * const guessing = (e: DeskEvent) => e.type === 'desk-pin-wrong' && e.ended
 */
export type DeskEvent =
  | (ProxyEventBase & { type: 'desk-locked' | 'desk-pin-set' | 'desk-shift-ended' })
  | (ProxyEventBase & { type: 'desk-unlocked'; switched: boolean })
  | (ProxyEventBase & { type: 'desk-pin-wrong'; ended: boolean })

/**
 * An approval on the spot (the `approvals` option): a call that needs one was held
 * (`'approval-required'`, the user fields naming who made it), a staff member approved it with their
 * PIN (`'approval-granted'`, naming the approver, with the reason they gave), or an approval was
 * refused: `why` `'permission'` when the approver lacks the permission, `'invalid'` when a call came
 * with one used, expired, not given or given for another call.
 *
 * @example
 * const audit = (e: ApprovalEvent) => e.type === 'approval-granted' && `${e.userName}: ${e.reason}`
 */
export type ApprovalEvent =
  | (ProxyEventBase & { type: 'approval-required'; approvalId: string })
  | (ProxyEventBase & { type: 'approval-granted'; approvalId: string; reason: string | null })
  | (ProxyEventBase & { type: 'approval-refused'; approvalId: string; why: 'invalid' | 'permission' })
