import type { ProxyContext } from './proxyContext'
import { noContent, passThrough, unreachable, withCookie } from './responses'
import type { SealedToken } from './sessionCookie'

/** `DELETE …/usertoken/revoke`: clears the cookie whatever happens, and revokes its token upstream. */
export async function revokeRoute(context: ProxyContext, sealed: SealedToken | null, siteId: string) {
  const cleared = context.clear(siteId)
  await context.sessions.forget(sealed)
  if (!sealed) return withCookie(noContent(), cleared)
  try {
    return withCookie(await passThrough(await context.revokeUpstream(sealed)), cleared)
  } catch {
    return withCookie(unreachable(), cleared)
  }
}
