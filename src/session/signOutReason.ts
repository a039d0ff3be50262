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
