/**
 * What every security event carries: when, where, who and from where. Never a password, a token, the
 * API key or a cookie's value.
 *
 * @example
 * const line = (e: ProxyEventBase) => `${e.at} site=${e.siteId} user=${e.userId} ip=${e.clientAddress}`
 */
export interface ProxyEventBase {
  /** When, in ISO 8601 (UTC). */
  at: string
  /** The site, as the `SiteId` header gave it, when this proxy serves it; else `null`. */
  siteId: string | null
  /** The staff member's `User.Id` where known (0 for every owner and admin); else `null`. */
  userId: number | null
  /** The staff member's first and last name where known; else `null`. */
  userName: string | null
  /**
   * The session: its id in the session store, or without a store an opaque id that stays the same
   * from its sign-in to its end; `null` with no session.
   */
  sessionId: string | null
  /** The client's address: what `clientIp` answers, else the socket's under `toNodeHandler`; else `null`. */
  clientAddress: string | null
  /** The `User-Agent` header, cut to 256 characters; else `null`. */
  userAgent: string | null
}
