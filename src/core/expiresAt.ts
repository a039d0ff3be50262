import type { IssueResponse } from './types'

/**
 * When a token expires, in ms since the epoch, or `null` when unknown. Mindbody documents `Expires` as
 * UTC, so one without an offset is read as UTC.
 */
export function expiresAt(token: IssueResponse | null | undefined): number | null {
  const text = token?.Expires
  if (!text) return null
  const ms = Date.parse(/(?:[zZ]|[+-]\d\d:?\d\d)$/.test(text) ? text : text + 'Z')
  const read = Number.isNaN(ms) ? Date.parse(text) : ms
  return Number.isNaN(read) ? null : read
}
