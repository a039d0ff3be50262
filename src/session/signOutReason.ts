import type { MindbodyError } from '../core/MindbodyError'

/**
 * Why the last session ended.
 *
 * @example
 * <MindbodyProvider siteId={-99} onSignOut={(reason: SignOutReason) => log('signed out', reason)}>
 */
export type SignOutReason =
  'revoked' | 'expired' | 'unauthorized' | 'renew-failed' | 'other-tab' | 'idle' | 'absolute'

/** What a session knows besides the token itself. */
export interface TokenStatus {
  isRestoring: boolean
  signOutReason: SignOutReason | null
}

/** The reasons the `/server` proxy gives in a 401 `SessionExpired`. */
const ENDED: readonly SignOutReason[] = ['idle', 'absolute', 'revoked']

/**
 * Why a failed call ends the session: a 401 means Mindbody no longer accepts the token
 * (`'unauthorized'`), or the `/server` proxy ended the session, for the reason it gives; any other
 * failure ends nothing (`undefined`).
 */
export function reasonOf(error: unknown): SignOutReason | undefined {
  const { status, code, details } = (error ?? {}) as MindbodyError
  if (status !== 401) return undefined
  const given =
    code === 'SessionExpired' && (details as { Error?: { Reason?: SignOutReason } })?.Error?.Reason
  return given && ENDED.includes(given) ? given : 'unauthorized'
}
