import { expiresAt } from '../core/expiresAt'
import { tokenId, type Arrival } from '../query/tokenSlots'
import type { ArrivedToken, IssueResponse } from '../core/types'
import type { TokenSource } from './tokenSource'

/**
 * When a token counts as expired by this device's clock: its `Expires` by the server's clock (moved
 * by `skew`, default the held token's), less the leeway; `Infinity` when unknown. A token that arrived
 * already past that has an unknown expiry: the device clock or the time zone of `Expires` is wrong,
 * so only the server's 401 can end it.
 */
export function createExpiry(leewayMs: number, arrival: () => Arrival | undefined) {
  return (token: IssueResponse | null, skew = arrival()?.skew ?? 0): number => {
    const expires = expiresAt(token)
    if (!token || expires === null) return Infinity
    const end = expires - skew - leewayMs
    const arrived = arrival()
    return arrived?.id === tokenId(token) && end <= arrived.at ? Infinity : end
  }
}

/**
 * Reads the token `source` kept, once. One that has expired by the clock it was kept with is
 * forgotten, and read as none.
 */
export async function readFresh(
  source: TokenSource,
  expiry: ReturnType<typeof createExpiry>,
): Promise<ArrivedToken | null> {
  const found = await source.read()
  if (!found || expiry(found.token, found.skew ?? 0) > Date.now()) return found
  source.write(null)
  return null
}
