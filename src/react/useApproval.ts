'use client'
import { useEffect, useMemo, useSyncExternalStore } from 'react'
import { pageApproval } from '../session/pageApproval'
import { useMindbodyContext } from './MindbodyContext'
import type { ApproveInput } from '../core/deskCalls'
import type { PendingApproval } from '../core/pendingApproval'

/**
 * What `useApproval` returns: the call waiting for an approval, and what to do with it.
 *
 * @example
 * const { pending, approve, cancel }: UseApprovalResult = useApproval()
 */
export interface UseApprovalResult {
  /** The oldest call of the page that waits for an approval, or `null`. */
  pending: PendingApproval | null
  /**
   * Approves `pending` with a staff member's PIN (the active one, or a manager of the desk who has the
   * permission) and a reason when it needs one; the call is then sent again, and its caller gets the
   * answer. Rejects with a `MindbodyError` (a 403 `WrongPin` or `PermissionDenied`), `pending` staying;
   * an approval the proxy no longer knows (404) fails the waiting call too.
   */
  approve: (input: ApproveInput) => Promise<void>
  /** Cancels `pending`: its call fails with an `'aborted'` `MindbodyError`, code `'ApprovalCancelled'`. */
  cancel: () => Promise<void>
}

const none = () => null

/**
 * Approvals on the spot, in server mode: while a `useApproval` is mounted anywhere on the page, a call of
 * `useMindbodyClient()` that the `/server` proxy answers 403 `ApprovalRequired` (its `approvals` option)
 * waits rather than fails, and shows here as `pending`, in every provider of the page. `approve` sends
 * the approval, then the library sends the call again, once, with `X-Mindbody-Approval`, and its caller
 * gets that answer as if nothing had happened; `cancel`, or the call's own `signal`, fails it. With no
 * `useApproval` mounted, the call fails with the 403. In token mode it throws a `MindbodyError`.
 *
 * @example
 * const { pending, approve, cancel } = useApproval()
 * if (!pending) return null
 * return (
 *   <form onSubmit={(e) => { e.preventDefault(); void approve({ userId: manager.userId, pin, reason }) }}>
 *     {pending.method.toUpperCase()} {pending.url} needs {pending.permissions.join(', ')}
 *     <button type="button" onClick={cancel}>Cancel</button>
 *   </form>
 * )
 */
export function useApproval(): UseApprovalResult {
  const { session } = useMindbodyContext('useApproval')
  const approvals = useMemo(() => pageApproval(session), [session])
  useEffect(() => approvals.hold(), [approvals])
  const pending = useSyncExternalStore(approvals.subscribe, approvals.pending, none)
  return useMemo(
    () => ({ pending, approve: approvals.approve, cancel: approvals.cancel }),
    [pending, approvals],
  )
}
