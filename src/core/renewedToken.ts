import { expiresAt } from './expiresAt'
import { parseRenewal } from './parseToken'
import type { IssueResponse } from './types'

/** How much one renewal adds to a token's life, as Mindbody documents it. */
const RENEWAL_MS = 24 * 60 * 60 * 1000

/**
 * The token a 2xx renew answer leaves: `current` with the answer's valid fields merged over it, and,
 * when the answer has no valid `Expires`, the old one plus 24 hours (none stays none).
 */
export function renewedToken<T extends Partial<IssueResponse>>(current: T, body: unknown): T {
  const answer = parseRenewal(body)
  const before = expiresAt(current as IssueResponse)
  return {
    ...current,
    ...answer,
    ...(!answer.Expires && before !== null && { Expires: new Date(before + RENEWAL_MS).toISOString() }),
  }
}
