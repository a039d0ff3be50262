import type { SessionStore } from './stores/types'

/**
 * Limits the proxy enforces on every session, whatever the browser says, and where sessions are kept
 * when they must be listable and revocable. Every field is off by default.
 *
 * @example
 * const session: ProxySessionOptions = {
 *   idleTimeoutMs: 15 * 60_000,
 *   absoluteTimeoutMs: 12 * 3600_000,
 *   transient: true,
 *   store: memorySessionStore(),
 * }
 */
export interface ProxySessionOptions {
  /** Ends a session with no activity (`POST {basePath}/session/activity`) for this long, as `'idle'`. */
  idleTimeoutMs?: number
  /** Ends a session this long after sign-in, whatever renewals happened, as `'absolute'`. */
  absoluteTimeoutMs?: number
  /** A cookie with no `Max-Age`: closing the browser ends the session. Default false. */
  transient?: boolean
  /** Makes sessions listable and revocable (`proxy.sessions`): `memorySessionStore()` or `redisSessionStore(client)`. */
  store?: SessionStore
}
