/**
 * Why the proxy ended a session, as its 401 `SessionExpired` says in `Reason`.
 *
 * @example
 * const reason: SessionEndReason = 'idle' // or 'absolute', 'revoked'
 */
export type SessionEndReason = 'idle' | 'absolute' | 'revoked'
