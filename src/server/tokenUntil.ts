import { expiresAt } from '../core/expiresAt'
import type { SealedToken } from './cookie/sessionSealer'

const DAY = 24 * 60 * 60 * 1000

/** Until when a session with `token` is kept: its expiry, or a day when that is unknown or near. */
export function tokenUntil(token: SealedToken) {
  const expiry = expiresAt(token)
  return expiry !== null && expiry > Date.now() + 60_000 ? expiry : Date.now() + DAY
}
