import { expiresAt } from '../core/expiresAt'
import { tokenId } from './pageStore'
import type { HeldToken } from './pageRecord'
import type { IssueResponse } from '../core/types'

/**
 * When a token counts as expired by this device's clock: its `Expires` by the server's clock (moved
 * by `skew`, default the held token's), less the leeway; `Infinity` when unknown. A token that arrived
 * already past that has an unknown expiry: the device clock or the time zone of `Expires` is wrong,
 * so only the server's 401 can end it.
 */
export function createExpiry(leewayMs: number, held: () => HeldToken | null | undefined) {
  return (token: IssueResponse | null, skew = held()?.skew ?? 0): number => {
    const expires = expiresAt(token)
    if (!token || expires === null) return Infinity
    const end = expires - skew - leewayMs
    const arrived = held()
    return arrived?.id === tokenId(token) && end <= arrived.at ? Infinity : end
  }
}
