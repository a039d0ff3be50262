import { createSender } from '../core/createUserTokenApi'
import { parseToken } from '../core/parseToken'
import { noteServerDate, serverClockOffset } from '../core/serverClock'
import type { IssueResponse, ResolvedMindbodyConfig } from '../core/types'

/**
 * The `/server` proxy's `GET /session`: the signed-in token without its `AccessToken`, and the server
 * clock offset its answer showed; `null` when signed out or when the proxy cannot be reached.
 */
export async function fetchServerSession(
  config: ResolvedMindbodyConfig,
): Promise<{ token: IssueResponse; skew: number } | null> {
  try {
    const { body, date } = await createSender(config)('GET', '/session')
    const token = parseToken(body, true)
    noteServerDate(token, date)
    return { token, skew: serverClockOffset(token) ?? 0 }
  } catch {
    return null
  }
}
