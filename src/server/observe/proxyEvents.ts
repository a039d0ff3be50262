import type { MindbodyProblem } from '../../core/problemOf'
import type { SessionEndReason } from '../sessionEndReason'
import type { ApprovalEvent, DeskEvent } from './deskEvents'
import type { ProxyEventBase } from './proxyEventBase'

export type { ProxyEventBase } from './proxyEventBase'

/**
 * The check that refused a call, in the order the proxy runs them: `'path'` (not canonical),
 * `'method'`, `'host'` (a malformed `Host`), `'csrf'` (no `X-Mindbody-Proxy: 1` on a state change),
 * `'origin'` (from an origin not in `origins`), `'site'` (no `SiteId`, or a site not served),
 * `'cookie'` (two session cookies, or one that did not open), `'session'` (not signed in), `'store'`
 * (no session store for `/sessions`), `'allow'` (not forwarded), `'permission'` (the `permissions`
 * option) and `'budget'` (the call meter's budget).
 *
 * @example
 * const serious = (check: ProxyCheck) => check === 'csrf' || check === 'origin' || check === 'cookie'
 */
// prettier-ignore
export type ProxyCheck =
  | 'path' | 'method' | 'host' | 'csrf' | 'origin' | 'site' | 'cookie' | 'session' | 'store' | 'allow' | 'permission' | 'budget'

/**
 * A staff member signed in: the session now exists.
 *
 * @example
 * const welcome = (e: SignInEvent) => `${e.userName} (${e.username}) signed in from ${e.clientAddress}`
 */
export interface SignInEvent extends ProxyEventBase {
  type: 'sign-in'
  /** The username as it was typed, cut to 256 characters. */
  username: string
}

/**
 * Mindbody refused a sign-in (or could not be reached, `status` 502): `code` is Mindbody's error
 * code, `problem` what a person can do about it (`problemOf`), each `null` when unknown.
 *
 * @example
 * const wrongPassword = (e: SignInFailedEvent) => e.problem === 'wrong-credentials'
 */
export interface SignInFailedEvent extends ProxyEventBase {
  type: 'sign-in-failed'
  username: string
  status: number
  code: string | null
  problem: MindbodyProblem | null
}

/**
 * A sign-in refused by the attempt limit (`signInLimit`, or 20 per IP with `clientIp`), before
 * Mindbody was called.
 *
 * @example
 * const guessing = (e: SignInLimitedEvent) => e.limit === 'ip'
 */
export interface SignInLimitedEvent extends ProxyEventBase {
  type: 'sign-in-limited'
  username: string
  /** Which limit: the username's (per site) or the client address's. */
  limit: 'username' | 'ip'
}

/**
 * A session renewed its token (`POST …/usertoken/renew`), a sign-out (`DELETE …/usertoken/revoke`),
 * or a session the proxy ended, with why (`'idle'`, `'absolute'`, `'revoked'`).
 *
 * @example
 * const ended = (e: SessionEvent) => e.type === 'session-ended' && e.reason === 'revoked'
 */
export type SessionEvent =
  | (ProxyEventBase & { type: 'renew' })
  | (ProxyEventBase & { type: 'sign-out' })
  | (ProxyEventBase & { type: 'session-ended'; reason: SessionEndReason })

/**
 * A call refused by one of the proxy's checks, before anything was sent to Mindbody.
 *
 * @example
 * const attack = (e: RefusedEvent) => e.check === 'csrf' || e.check === 'origin'
 */
export interface RefusedEvent extends ProxyEventBase {
  type: 'refused'
  check: ProxyCheck
  /** The status the refusal answered. */
  status: number
  method: string
  /** The route, as a template (`/public/v{n}/sale/sales`), or `'/*'` for a path no route took. */
  route: string
}

/**
 * The call meter's budget for a site: `'budget-warning'` once the period's calls reach `warnAt` of
 * it, `'budget-reached'` once they reach it (from then on, with `refuse`, forwarded calls get 429).
 * Each is sent once per site and period, by whichever instance counted that call.
 *
 * @example
 * const alert = (e: BudgetEvent) => `${e.siteId}: ${e.calls} of ${e.budget} calls since ${e.periodStart}`
 */
export interface BudgetEvent extends ProxyEventBase {
  type: 'budget-warning' | 'budget-reached'
  calls: number
  budget: number
  /** The first day of the billing period, `YYYY-MM-DD` (UTC). */
  periodStart: string
}

/**
 * One event of the proxy, as `onEvent` receives it: a union on `type`.
 *
 * @example
 * const onEvent = (event: ProxyEvent) => {
 *   if (event.type === 'sign-in-failed') console.warn(event.username, event.problem)
 * }
 */
export type ProxyEvent =
  | SignInEvent
  | SignInFailedEvent
  | SignInLimitedEvent
  | SessionEvent
  | RefusedEvent
  | BudgetEvent
  | DeskEvent
  | ApprovalEvent
