import { createSender } from '../core/createUserTokenApi'
import { parseToken } from '../core/parseToken'
import { need } from '../core/validate'
import { broadcastStorage } from './broadcastStorage'
import { storageSource } from './storageSource'
import type { TokenSource } from './tokenSource'
import { resolveStorage, type UserTokenStorage, type UserTokenStorageOption } from './userTokenStorage'
import type { ArrivedToken, ResolvedMindbodyConfig } from '../core/types'

/** The proxy's `GET /session`: the token without its `AccessToken`; `null` when signed out or unreachable. */
async function fetchSession(config: ResolvedMindbodyConfig): Promise<ArrivedToken | null> {
  try {
    const { body, skew } = await createSender(config)('GET', '/session')
    return { token: parseToken(body, true), skew }
  } catch {
    return null
  }
}

/**
 * Server mode's source: the token stays in the `/server` proxy's cookie, read back by `GET /session`;
 * other tabs hear of each change over a `BroadcastChannel`, which carries no `AccessToken`, and claim
 * auto-renew in localStorage, which holds no token.
 */
export function serverSource(
  config: ResolvedMindbodyConfig,
  key: string,
  site: string,
  storage: UserTokenStorageOption | undefined,
): TokenSource {
  need(storage === undefined, 'storage: session="server" keeps the token on the server; leave storage out')
  const tabs = storageSource(broadcastStorage(key), key, site, true)
  let claims: UserTokenStorage | undefined
  let fetching: Promise<ArrivedToken | null> | undefined
  return {
    ...tabs,
    persistent: true,
    // StrictMode starts twice; both starts share one GET /session.
    read: () => (fetching ??= fetchSession(config).finally(() => (fetching = undefined))),
    claims: () => (claims ??= resolveStorage('local')),
  }
}
