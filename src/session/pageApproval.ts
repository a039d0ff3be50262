import { MindbodyError } from '../core/MindbodyError'
import { approvalOf, type PendingApproval } from '../core/pendingApproval'
import { createDeskCalls, type ApproveInput } from '../core/deskCalls'
import { need } from '../core/validate'
import type { ApprovalPart } from './approvalPart'
import type { TokenActions } from './tokenActions'

const quiet = () => {}

/** The error of a call whose approval was cancelled: `'aborted'`, as a call whose signal fired. */
const cancelled = () => new MindbodyError('aborted', 'Approval cancelled', { code: 'ApprovalCancelled' })

/**
 * The page's approvals (server mode only; in token mode it throws): while any `hold()` lasts, a call
 * of `useMindbodyClient()` that the `/server` proxy answers 403 `ApprovalRequired` waits (`wait`) until
 * it is approved (`approve`: the client then sends it again with the approval), or cancelled (`cancel`,
 * the call's own signal, or the last holder letting go): it then fails as `'aborted'`.
 */
export function pageApproval({ record, config, fail }: TokenActions) {
  const calls = createDeskCalls(config)
  const part: ApprovalPart = (record.approval ??= { holders: 0, waiting: [], listeners: new Set() })
  const tell = () => part.listeners.forEach((listener) => listener())
  /** Lets the waiting call of approval `id` go on (no error) or fails it; false when none waits. */
  const settle = (id: string | undefined, error?: MindbodyError) => {
    const at = part.waiting.findIndex(({ pending }) => pending.id === id)
    if (at >= 0) part.waiting.splice(at, 1)[0]!.settle(error)
    tell()
    return at >= 0
  }
  const cancel = async (id?: string, error = cancelled()) => {
    if (settle(id, error)) await calls.cancel(id!).catch(quiet)
  }
  const wait: ApprovalPart['wait'] = (failure, { method, url, signal }) => {
    const pending = part.holders ? approvalOf(failure, { method, url }) : undefined
    return (
      pending &&
      new Promise<string>((resolve, reject) => {
        part.waiting.push({ pending, settle: (error) => (error ? reject(error) : resolve(pending.id)) })
        tell()
        const aborted = signal as AbortSignal | undefined
        const onAbort = () => void cancel(pending.id, new MindbodyError('aborted', 'Request aborted'))
        if (aborted?.aborted) onAbort()
        else aborted?.addEventListener?.('abort', onAbort)
      })
    )
  }
  return {
    /** The oldest call waiting for an approval, or `null`. */
    pending: (): PendingApproval | null => part.waiting[0]?.pending ?? null,
    subscribe(listener: () => void) {
      part.listeners.add(listener)
      return () => void part.listeners.delete(listener)
    },
    /** Shows the page's approvals, so calls wait for them; returns the letting go. */
    hold() {
      part.holders++
      part.wait = wait
      // The last holder gone, and none straight back (StrictMode, new props): no one can approve.
      return () =>
        void (
          --part.holders ||
          queueMicrotask(() => part.holders || [...part.waiting].forEach((w) => cancel(w.pending.id)))
        )
    },
    async approve(input: ApproveInput): Promise<void> {
      const id = part.waiting[0]?.pending.id
      need(id, 'approval: no call waits for one')
      await calls.approve(id, input).catch((error: MindbodyError) => {
        fail(error)
        // Unknown or expired at the proxy: the waiting call fails with it.
        if (error.status === 404) settle(id, error)
        throw error
      })
      settle(id)
    },
    cancel: () => cancel(part.waiting[0]?.pending.id),
  }
}
