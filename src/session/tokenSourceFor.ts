import type { ResolvedMindbodyConfig } from '../core/types'
import { serverSource } from './serverSource'
import { storageSource } from './storageSource'
import type { TokenSource } from './tokenSource'
import type { UserTokenStorageOption } from './userTokenStorage'

/** A session's token source: the `/server` proxy's cookie in server mode, else the storage. */
export const tokenSourceFor = (
  config: ResolvedMindbodyConfig,
  storage: UserTokenStorageOption | undefined,
  key: string,
  site: string,
): TokenSource =>
  config.session === 'server' ? serverSource(config, key, site, storage) : storageSource(storage, key, site)
