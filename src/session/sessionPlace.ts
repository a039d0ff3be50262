import { modeOf } from '../core/modes'
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
  /** The page record's place and key, and the tag that marks a kept token as this sign-in's. */
  place: string | object
  key: string
  site: string
  link: Omit<StoreLink, 'fresh'>
  /** The storage every tab shares, where tabs claim the next auto-renew; or none. */
  shared: (kept: UserTokenStorage | undefined) => UserTokenStorage | undefined
  /** Server mode's revalidation; none in token mode. */
  heartbeat?: typeof createProxyHeartbeat
}

/** The default storage key and the sign-in's tag of `config`: one per base URL, site and version. */
export const signInName = ({ baseURL, siteId, version }: ResolvedMindbodyConfig) => ({
  key: `mindbody-user-token:${baseURL}:${siteId}:${version}`,
  site: `mindbody-user-token ${baseURL} ${siteId} ${version}`,
})

/** The place of `config`'s sign-in, for a provider with `storage` and `storageKey` (token mode only). */
export function sessionPlace(
  config: ResolvedMindbodyConfig,
  storage?: UserTokenStorageOption,
  storageKey?: string,
): SessionPlace {
  const { key: defaultKey, site } = signInName(config)
  const key = storageKey ?? defaultKey
  if (config.mode === 'token') {
    const link = { open: () => resolveStorage(storage), hidesToken: modeOf(config).hidesToken }
    return { place: storage ?? 'memory', key, site, link, shared: (kept) => kept }
  }
  need(storage === undefined, 'storage: mode="server" keeps the token on the server; leave storage out')
  const link = { open: () => serverStorage(config, key, site), hidesToken: modeOf(config).hidesToken }
  return {
    place: 'server',
    key,
    site,
    link,
    shared: () => resolveStorage('local'),
    heartbeat: createProxyHeartbeat,
  }
}
