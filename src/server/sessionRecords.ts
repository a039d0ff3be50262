import type { SealedToken } from './cookie/sessionSealer'
import type { SessionRecord } from './stores/types'

/** A record as the proxy reads it back from any store: its shape checked, and its id and site as asked. */
export const isRecord = (
  r: SessionRecord | null | undefined,
  siteId: string,
  id?: string,
): r is SessionRecord =>
  !!r &&
  typeof r.id === 'string' &&
  (id === undefined || r.id === id) &&
  r.siteId === siteId &&
  (r.staff === undefined || typeof r.staff === 'string') &&
  (r.userId === null || Number.isInteger(r.userId)) &&
  [r.signedInAt, r.activeAt, r.expiresAt].every(Number.isFinite) &&
  r.expiresAt > Date.now()

/** The record a store keeps of `sealed`'s session, until `until`. */
export const recordOf = (sealed: SealedToken, until: number): SessionRecord => ({
  id: sealed.sid!,
  siteId: sealed.siteId,
  userId: sealed.User?.Id ?? null,
  staff: sealed.staff ?? '',
  signedInAt: sealed.signedInAt,
  activeAt: sealed.activeAt,
  expiresAt: until,
})
