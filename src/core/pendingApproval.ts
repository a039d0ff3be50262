import type { MindbodyError } from './MindbodyError'
import type { StaffPermission } from './staffPermissions'

/**
 * A call that waits for an approval: the `/server` proxy answered it 403 `ApprovalRequired`.
 *
 * @example
 * const ask = (p: PendingApproval) => `${p.method} ${p.url} needs ${p.permissions.join(', ')}`
 */
export interface PendingApproval {
  /** The approval's id at the proxy. */
  id: string
  /** What the approving staff member must be allowed, such as `'RefundSales'`. */
  permissions: Array<StaffPermission | (string & {})>
  /** Whether the approval needs a reason. */
  needsReason: boolean
  /** The waiting call's method and URL, as it was sent (`'post'`, `'/sale/returnsale'`). */
  method: string
  url: string
}

/** The approval a call's failure asks for, or `undefined` when it is not a 403 `ApprovalRequired`. */
export function approvalOf(
  failure: MindbodyError,
  { method = 'get', url = '' }: { method?: string; url?: string },
): PendingApproval | undefined {
  const { Error: error } = (failure.details ?? {}) as { Error?: Record<string, unknown> }
  const { ApprovalId: id, Permissions: names } = error ?? {}
  if (failure.status !== 403 || failure.code !== 'ApprovalRequired' || typeof id !== 'string') return
  const permissions = Array.isArray(names) ? names.filter((name) => typeof name === 'string') : []
  return { id, permissions, needsReason: error!.NeedsReason === true, method, url }
}
