import { modeOf, tokenModeOnly } from '../core/modes'
import { need } from '../core/validate'
import { createProxyHeartbeat } from './proxyHeartbeat'
import { serverStorage } from './serverStorage'
import { resolveStorage, type UserTokenStorageOption } from './userTokenStorage'
import type { ResolvedMindbodyConfig } from '../core/MindbodyConfig'
import type { StoreLink } from './pageStore'
import type { UserTokenStorage } from './userTokenStorage'

/**
 * Where a session's sign-in lives on the page, by mode, chosen once: token mode keeps the token in the
 * storage it is given (memory by default) and claims auto-renew there; server mode keeps it in the
 * `/server` proxy's cookie, read back by `GET /session`, tells other tabs over a `BroadcastChannel`,
 * claims auto-renew in localStorage (which holds no token), and asks the proxy whether the session
 * lasts (`createProxyHeartbeat`).
 */
export interface SessionPlace {
  /**
   * The page record's place and id (one record per place and id), the storage key, and the tag that
   * marks a kept token as this sign-in's. Server mode has one record per base URL and site, as the
   * proxy has one cookie per site, whatever the version.
   */
  place: string | object
  id: string
  key: string
  site: string
  link: Omit<StoreLink, 'fresh'>
  /** The storage every tab shares, where tabs claim the next auto-renew; or none. */
  shared: (kept: UserTokenStorage | undefined) => UserTokenStorage | undefined
  /** Server mode's revalidation; none in token mode. */
  heartbeat?: typeof createProxyHeartbeat
}

/**
 * The names of `config`'s sign-in, one per base URL, site and version: its `parts` (which the React
 * Query key also ends with), the default storage key, and the tag that marks a kept token as its.
 */
export function signInName({ baseURL, siteId, version }: ResolvedMindbodyConfig) {
  const parts = [String(baseURL), String(siteId), String(version)] as const
  return {
    parts,
    key: `mindbody-user-token:${parts.join(':')}`,
    site: `mindbody-user-token ${parts.join(' ')}`,
  }
}

/** The provider props that belong to one mode: each is refused, at run time too, in the other. */
export interface PlaceOptions {
  storage?: UserTokenStorageOption
  storageKey?: string
  revalidateMs?: number | false
  idle?: { action?: string }
}

/** The place of `config`'s sign-in, for a provider with the options of its mode. */
export function sessionPlace(config: ResolvedMindbodyConfig, options: PlaceOptions = {}): SessionPlace {
  const { storage, storageKey, revalidateMs, idle } = options
  const { key: defaultKey, site } = signInName(config)
  const { hidesToken } = modeOf(config)
  if (config.mode === 'token') {
    need(revalidateMs === undefined, 'revalidateMs: only with mode="server"')
    need(idle?.action !== 'lock', 'idle.action: only with mode="server"')
    const key = storageKey ?? defaultKey
    const link = { open: () => resolveStorage(storage), hidesToken }
    return { place: storage ?? 'memory', id: key, key, site, link, shared: (kept) => kept }
  }
  tokenModeOnly({ storage, storageKey })
  const id = `mindbody-user-token:${config.baseURL}:${config.siteId}`
  const link = { open: () => serverStorage(config, defaultKey, site), hidesToken }
  const shared = () => resolveStorage('local')
  return { place: 'server', id, key: defaultKey, site, link, shared, heartbeat: createProxyHeartbeat }
}
