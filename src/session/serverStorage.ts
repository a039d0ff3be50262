import { createSender } from '../core/createUserTokenApi'
import { isLockedDesk } from '../core/deskState'
import { parseToken } from '../core/parseToken'
import { broadcastStorage } from './broadcastStorage'
import type { UserTokenStorage } from './userTokenStorage'
import type { ResolvedMindbodyConfig } from '../core/MindbodyConfig'

/**
 * Where server mode keeps the token: in the `/server` proxy's cookie, read back by `GET /session`
 * (the token without its `AccessToken`; `null` when signed out, the front desk is locked, or the proxy is
 * unreachable). Other tabs hear of
 * each change over a `BroadcastChannel` named `name`, which carries no `AccessToken` either.
 */
export const serverStorage = (
  config: ResolvedMindbodyConfig,
  name: string,
  site: string,
): UserTokenStorage => ({
  ...broadcastStorage(name),
  async getItem() {
    try {
      const { body, skew } = await createSender(config)('GET', '/session')
      if (isLockedDesk(body)) return null
      return JSON.stringify({ site, token: parseToken(body, true), skew })
    } catch {
      return null
    }
  },
})
