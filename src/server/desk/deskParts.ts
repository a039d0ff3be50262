import type { CookieSettings } from '../cookie/cookieJar'
import type { createSessionSealer, SealedToken } from '../cookie/sessionSealer'
import type { MindbodyProxyOptions } from '../proxyOptions'
import type { createProxySessions } from '../proxySessions'
import type { SessionStore } from '../stores/types'
import { createDesks } from './createDesks'
import { deskKeeper } from './deskKeeper'
import { deskSettings } from './deskOptions'

/** What the desks need of the proxy's other parts. */
interface PartsNeeds {
  settings: CookieSettings
  sealer: ReturnType<typeof createSessionSealer>
  sessions: ReturnType<typeof createProxySessions>
  revokeUpstream: (sealed: SealedToken) => Promise<unknown>
  clear: (siteId: string) => string
}

/**
 * With the `desk` option: the desks, and the sessions kept at them; checks the `desk` and
 * `approvals` options first, throwing a clear error for either.
 */
export function deskParts(options: MindbodyProxyOptions, needs: PartsNeeds) {
  const { sessions, revokeUpstream, sealer, clear } = needs
  const settings = deskSettings(options.desk, options.approvals, options.session?.store)
  if (!settings) return { desks: undefined, keeper: undefined }
  const desks = createDesks({
    settings,
    cookie: needs.settings,
    sealer,
    store: sessions.store as Required<SessionStore>,
    endSession: async (sealed) => (await sessions.forget(sealed)) && revokeUpstream(sealed),
  })
  const keeper = deskKeeper(desks, {
    create: sessions.create,
    forget: sessions.forget,
    revokeUpstream,
    clear,
  })
  return { desks, keeper }
}
