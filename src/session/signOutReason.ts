import type { MindbodyError } from '../core/MindbodyError'

/**
 * Why the last session ended. `'locked'`: the front desk was locked (`useDesk().lock`, the idle
 * timeout's `action: 'lock'`, or a 423 `DeskLocked` from the `/server` proxy); the staff member's
 * sign-in is parked on the server, and their PIN unlocks it.
 *
 * @example
 * <MindbodyProvider siteId={-99} onSignOut={(reason: SignOutReason) => log('signed out', reason)}>
 */
export type SignOutReason =
  'revoked' | 'expired' | 'unauthorized' | 'renew-failed' | 'other-tab' | 'idle' | 'absolute' | 'locked'

/** What a session knows besides the token itself. */
export interface TokenStatus {
  isRestoring: boolean
  signOutReason: SignOutReason | null
}

/** The reasons the `/server` proxy gives in a 401 `SessionExpired`. */
const ENDED: readonly SignOutReason[] = ['idle', 'absolute', 'revoked']

/**
 * Why a failed call ends the session: a 401 means Mindbody no longer accepts the token
 * (`'unauthorized'`), or the `/server` proxy ended the session, for the reason it gives; a 423
 * `DeskLocked` means the proxy's desk is locked (`'locked'`); any other failure ends nothing
 * (`undefined`).
 */
export function reasonOf(error: unknown): SignOutReason | undefined {
  const { status, code, details } = (error ?? {}) as MindbodyError
  if (status === 423 && code === 'DeskLocked') return 'locked'
  if (status !== 401) return undefined
  const given =
    code === 'SessionExpired' && (details as { Error?: { Reason?: SignOutReason } })?.Error?.Reason
  return given && ENDED.includes(given) ? given : 'unauthorized'
}
