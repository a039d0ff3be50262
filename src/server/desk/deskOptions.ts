import { MindbodyError } from '../../core/MindbodyError'
import { staffPermissionNames, type StaffPermission } from '../../core/staffPermissions'
import { permissionRules } from '../permissions/permissionRules'
import type { SessionStore } from '../stores/types'

/**
 * The `desk` option: one browser shared by several staff members through a shift, each signed in with
 * their own password once, at most one of them active, the others parked in the session store until
 * they unlock with their PIN.
 *
 * @example
 * const desk: DeskOptions = { pinLength: 4, pinAttempts: 5, maxStaff: 4, parkedMs: 8 * 3600_000 }
 */
export interface DeskOptions {
  /** How many digits a PIN has. Default 4; 4 to 12. */
  pinLength?: number
  /** Wrong PINs a parked staff member may enter before their sign-in ends (their password is needed again). Default 5. */
  pinAttempts?: number
  /** How many staff members may be signed in at one desk at once. Default 4. */
  maxStaff?: number
  /** How long a parked sign-in lasts, in ms, before it ends as if signed out. Default 8 hours. */
  parkedMs?: number
  /** How long an approval may wait, in ms, before it expires unused. Default 2 minutes. */
  approvalMs?: number
}

/**
 * What a call the `approvals` option maps needs before it goes to Mindbody: the PIN of a staff member
 * of the desk who has `permission` (all of them, when several), and with `reason`, a reason.
 *
 * @example
 * const refund: ApprovalRule = { permission: 'RefundSales', reason: true }
 */
export interface ApprovalRule {
  /** The permission the approving staff member must have; none: any staff member of the desk may approve. */
  permission?: StaffPermission | readonly StaffPermission[]
  /** Whether the approver must give a reason. Default false. */
  reason?: boolean
}

/**
 * Calls that need an approval on the spot: `'METHOD /path'` (as the `permissions` option writes them)
 * → the permission the approver needs, or an `ApprovalRule`.
 *
 * @example
 * const approvals: ProxyApprovals = { 'POST /sale/returnsale': { permission: 'RefundSales', reason: true } }
 */
export type ProxyApprovals = Record<string, StaffPermission | readonly StaffPermission[] | ApprovalRule>

/** An approval rule as the proxy reads it: the positions of the permissions needed, and whether a reason is. */
export interface ApprovalNeeds {
  needs: number[]
  reason: boolean
}

const isRule = (value: unknown): value is ApprovalRule =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const whole = (value: number, low: number, high: number) =>
  Number.isInteger(value) && value >= low && value <= high

/** The `approvals` option read into rules by their key (`ruleKey`), or a clear error. */
function approvalRules(approvals: unknown): Map<string, ApprovalNeeds> {
  if (typeof approvals !== 'object' || approvals === null || Array.isArray(approvals))
    throw new MindbodyError(
      'invalid-input',
      "Invalid approvals: give an object such as { 'POST /sale/returnsale': { permission: 'RefundSales', reason: true } }",
    )
  const rules = new Map<string, ApprovalNeeds>()
  for (const [written, value] of Object.entries(approvals)) {
    const rule = isRule(value) ? value : { permission: value as StaffPermission }
    // A rule with no permission is checked with a stand-in for its path only.
    const read = permissionRules({ [written]: rule.permission ?? staffPermissionNames[0] }, 'approvals')!
    const [[key, needs]] = [...read] as [[string, number[]]]
    rules.set(key, { needs: rule.permission === undefined ? [] : needs, reason: rule.reason === true })
  }
  return rules
}

/** The `desk` and `approvals` options checked, with their defaults; `undefined` without a desk. */
export function deskSettings(
  desk: DeskOptions | undefined,
  approvals: ProxyApprovals | undefined,
  store: SessionStore | undefined,
) {
  if (!desk) {
    if (approvals !== undefined)
      throw new MindbodyError('invalid-input', 'Invalid approvals: they need a desk (the desk option)')
    return undefined
  }
  if (!store?.read || !store.swap)
    throw new MindbodyError(
      'invalid-input',
      'Invalid desk: it needs session.store, one that keeps desks (memorySessionStore() or redisSessionStore(client))',
    )
  const { pinLength = 4, pinAttempts = 5, maxStaff = 4, parkedMs = 8 * 3600_000, approvalMs = 120_000 } = desk
  const checks = {
    pinLength: whole(pinLength, 4, 12),
    pinAttempts: whole(pinAttempts, 1, 20),
    maxStaff: whole(maxStaff, 1, 20),
  }
  for (const [name, ok] of Object.entries(checks))
    if (!ok) throw new MindbodyError('invalid-input', `Invalid desk.${name}: see DeskOptions for its range`)
  for (const [name, ms] of Object.entries({ parkedMs, approvalMs }))
    if (!(Number.isFinite(ms) && ms > 0))
      throw new MindbodyError('invalid-input', `Invalid desk.${name}: give a number of milliseconds above 0`)
  return {
    pinLength,
    pinAttempts,
    maxStaff,
    parkedMs,
    approvalMs,
    approvals: approvals === undefined ? undefined : approvalRules(approvals),
  }
}

/** The desk's settings, read from the options. */
export type DeskSettings = NonNullable<ReturnType<typeof deskSettings>>
