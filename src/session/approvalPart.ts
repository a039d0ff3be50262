import type { MindbodyError } from '../core/MindbodyError'
import type { PendingApproval } from '../core/pendingApproval'

/** A call that `useMindbodyClient()` sent, as axios hands it to an interceptor. */
export interface ApprovalRequest {
  method?: string
  url?: string
  signal?: unknown
}

/** The page record's `approval` part, which `pageApproval.ts` owns. */
export interface ApprovalPart {
  /** How many `useApproval` show the page's approvals: with none, no call waits. */
  holders: number
  /**
   * Makes a call that `failure` refused wait for its approval, if it asks for one: resolves with the
   * approval's id once approved, rejects when cancelled; `undefined` when there is nothing to wait for.
   */
  wait?: (failure: MindbodyError, request: ApprovalRequest) => Promise<string> | undefined
  /** The waiting calls, oldest first; `settle` lets one go on (no error) or fails it. */
  waiting: Array<{ pending: PendingApproval; settle: (error?: MindbodyError) => void }>
  listeners: Set<() => void>
}
