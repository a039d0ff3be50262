import type { DeskOptions, ProxyApprovals } from './desk/deskOptions'
import type { CallMeterOptions, OpenTelemetryApi } from './observe/observeOptions'
import type { ProxyEvent } from './observe/proxyEvents'
import type { ProxyPermissions } from './permissions/permissionRules'
import type { LimitStore } from './stores/types'
import type { SessionCookieOptions } from './cookie/cookieHeader'
import type { ProxySessionOptions } from './sessionOptions'

export type { ProxySessionOptions } from './sessionOptions'

/**
 * Where a request came from, as the server's socket saw it; `toNodeHandler` passes it on.
 *
 * @example
 * const clientIp = (request: Request, client?: ClientAddress) => client?.address
 */
export interface ClientAddress {
  /** The IP address of the socket's other end. */
  address: string
}

/**
 * Options of `createMindbodyProxy`.
 *
 * @example
 * const options: MindbodyProxyOptions = {
 *   apiKey: process.env.MINDBODY_API_KEY!,
 *   secret: process.env.SESSION_SECRET!,
 *   siteIds: [-99],
 *   permissions: { 'POST /sale/returnsale': 'RefundSales' },
 * }
 */
export interface MindbodyProxyOptions {
  /** Your Mindbody API key: added as `Api-Key` to every upstream call, never sent to the browser. */
  apiKey: string
  /** At least 32 characters; or several, newest first: the first seals, all open (for rotation). */
  secret: string | string[]
  /** The sites this proxy serves; a request for any other gets 403 and nothing is sent. */
  siteIds: Array<string | number>
  /** Where the handler is mounted. Default `'/mindbody'`. */
  basePath?: string
  /** Mindbody's origin. Default `'https://api.mindbodyonline.com'`. No request can change it. */
  upstream?: string
  /** Which other endpoints may be forwarded (`path` is below `basePath`). Default: GET and POST under `/public/v6/`. */
  allow?: (method: string, path: string) => boolean
  /**
   * Which of the allowed calls may go out with no one signed in, with only the API key. Default: none,
   * so nobody on the internet can make calls that Mindbody bills to you.
   */
  allowAnonymous?: (method: string, path: string) => boolean
  /**
   * The origins the app is served from, such as `['https://portal.example']`: a state-changing request
   * must come from one of them. Set it in production. Without it, the request's own origin stands in:
   * the `Host` header the browser sent, with the scheme of `request.url` (not the host of
   * `request.url`, which a framework such as Next.js builds from its own host name). A request with no
   * well-formed `Host` is then refused, and so is an `https:` page when the runtime saw `http:` behind
   * a proxy that terminates TLS (Next.js reads `X-Forwarded-Proto` for it; the proxy never does): list
   * the origins here.
   */
  origins?: string[]
  /** The cookie's `Secure` flag. Default true; false only for `http://localhost`. */
  secure?: boolean
  /**
   * How the session cookie may travel. Default `SameSite=Strict`. For a widget served from this
   * proxy's site inside an iframe on another site: `{ sameSite: 'none', partitioned: true }`.
   */
  cookie?: SessionCookieOptions
  /** Idle and absolute limits, transient cookies, and a session store. Default: none of them. */
  session?: ProxySessionOptions
  /** Failed sign-ins allowed per username and site in a window. Default 5 per 15 minutes. */
  signInLimit?: { max: number; windowMs: number }
  /**
   * The client's IP, to also limit sign-ins per IP (20 per window). Default: no IP limit. `client` is
   * the socket's address when `toNodeHandler` runs the proxy. Never read the first `X-Forwarded-For`
   * entry, which the client writes itself: take the socket address, or the entry your own load
   * balancer appends (the last one).
   */
  clientIp?: (request: Request, client?: ClientAddress) => string | undefined
  /** Where attempts are counted. Default: this process's memory. */
  limitStore?: LimitStore
  /**
   * Calls that only a staff member with a permission may make: `'METHOD /path'` (the path below
   * `/public/v{n}`, for every version, matched as the proxy reads every path) → the permission, or an
   * array of them, all needed. Anyone else gets 403 `PermissionDenied`, naming it, and nothing is sent
   * upstream. A name that is not one of Mindbody's staff permissions is an error. Default: none.
   */
  permissions?: ProxyPermissions
  /**
   * A shared front desk: several staff members signed in on one browser, each with their own token
   * kept in `session.store` (which it needs), at most one active; `lock`, `unlock` with a PIN, and
   * `endShift` under `{basePath}/desk/`. Default: none, one staff member per browser and site.
   */
  desk?: DeskOptions
  /**
   * Calls that need a staff member's approval on the spot, with their PIN (and a reason): `'METHOD
   * /path'` → the permission the approver needs, or `{ permission, reason }`. Such a call gets 403
   * `ApprovalRequired` until approved, then goes through once. Needs `desk`. Default: none.
   */
  approvals?: ProxyApprovals
  /** The fetch for upstream calls. Default: the global `fetch`. */
  fetch?: typeof fetch
  /**
   * How long Mindbody may take, in ms: to begin its answer to any call, and to finish its answer to a
   * sign-in, renewal or sign-out. Past it the call is dropped and the browser gets 502. Default 30 000.
   */
  upstreamTimeoutMs?: number
  /**
   * How long the session store and the limit store may take to answer, in ms. Past it the request
   * fails closed with 503 and nothing is sent upstream. Default 2 000. `onEvent` and the call meter
   * have as long, and are then dropped: the answer goes on.
   */
  storeTimeoutMs?: number
  /**
   * Called with each security event (`ProxyEvent`): sign-ins, refused and limited sign-ins, renewals,
   * sign-outs, sessions the proxy ended, calls a check refused, the budget's warnings. Awaited before
   * the answer, for at most `storeTimeoutMs`; what it throws is ignored. Events never hold a password,
   * a token, the API key or a cookie. Default none.
   */
  onEvent?: (event: ProxyEvent) => void | Promise<void>
  /**
   * Your `@opentelemetry/api` (`import * as api from '@opentelemetry/api'`): a span per request, a
   * child span per Mindbody call, and counters. Default none: nothing of OpenTelemetry is loaded.
   */
  openTelemetry?: OpenTelemetryApi
  /**
   * Counts every call to Mindbody in `limitStore`, by site, day, route and staff member, for
   * `proxy.usage`; with a budget, warns and may refuse. Default off.
   */
  meter?: boolean | CallMeterOptions
  /**
   * Identical GETs of one session in flight at the same moment go to Mindbody once and share its
   * answer (never between sessions). Default true; `false` sends each.
   */
  shareGets?: boolean
}
