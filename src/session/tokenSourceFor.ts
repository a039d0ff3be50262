import { need } from '../core/validate'
import { pageSlot } from './pageSlot'
import { pageStorage } from './pageStorage'
import { serverStorage } from './serverStorage'
import { storageSource } from './storageSource'
import type { TokenSource } from './tokenSource'
import { resolveStorage, type UserTokenStorageOption } from './userTokenStorage'
import type { ResolvedMindbodyConfig } from '../core/types'

/**
 * A session's token source, under the page's slot for where the token is kept (the storage, or the
 * `/server` proxy's cookie) and `key`: every provider of the page that keeps it there shares it.
 * Server mode claims auto-renew in localStorage, which holds no token; token mode in its storage.
 */
export function tokenSourceFor(
  config: ResolvedMindbodyConfig,
  option: UserTokenStorageOption | undefined,
  key: string,
  site: string,
): TokenSource {
  const server = config.mode === 'server'
  need(
    !server || option === undefined,
    'storage: mode="server" keeps the token on the server; leave storage out',
  )
  const place = server ? 'server' : (option ?? 'memory')
  const page = pageSlot(place, key)
  const open = server ? () => serverStorage(config, key, site) : () => resolveStorage(option)
  return {
    ...storageSource(pageStorage(page, open), key, site, server),
    persistent: place !== 'memory' || !!page.value,
    page,
    claims: server ? () => resolveStorage('local') : () => page.storage,
  }
}
