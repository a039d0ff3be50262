import type { JWTPayload } from 'jose'
import { MindbodyError } from '../../core/MindbodyError'
import type { IssueResponse } from '../../core/types'
import { keyring } from './keyring'
import type { KeptPermissions } from '../permissions/permissionBits'
import { openedPermissions, sealedPermissions } from '../permissions/permissionGroup'
import { recentlyOpened } from './recentlyOpened'
import { staffIdentity } from './staffIdentity'

/**
 * What the session cookie holds: the token, the site and API version it was issued for, when the
 * staff member signed in and was last active (ms since the epoch), who signed in (`staff`, a keyed
 * hash), with a session store its id, and the staff member's permission group when it is known.
 * `until`, the cookie's own expiry, is read when it opens.
 */
export interface SealedToken extends IssueResponse {
  siteId: string
  version: string
  signedInAt: number
  activeAt: number
  staff?: string
  sid?: string
  permissions?: KeptPermissions
  until?: number
  /** At a desk: the desk's id (never sealed: the desk holds the token). */
  desk?: string
}

/** What an opened cookie's payload holds, or `null` when it is not a session. */
function tokenOf(payload: JWTPayload): SealedToken | null {
  const { AccessToken, TokenType, Expires, User, siteId, version, staff, sid, perms } = payload as Record<
    string,
    never
  >
  if (typeof AccessToken !== 'string' || typeof siteId !== 'string' || typeof version !== 'string')
    return null
  // A cookie sealed before these fields existed counts from when it was sealed.
  const time = (value: unknown) => (Number.isFinite(value) ? (value as number) : payload.iat! * 1000)
  const signedInAt = time(payload.signedInAt)
  const activeAt = time(payload.activeAt)
  return Object.freeze({
    AccessToken,
    TokenType,
    Expires,
    User,
    siteId,
    version,
    signedInAt,
    activeAt,
    staff,
    sid,
    permissions: openedPermissions(perms),
    until: payload.exp! * 1000,
  })
}

/**
 * Seals and opens the session cookie's value with jose: a JWE, `dir` + `A256GCM` (AES-GCM, so
 * encrypted and authenticated), with `exp` at the token's expiry. The first secret seals; every
 * secret opens, so a new one can be put first while cookies sealed with the old one still work. A
 * value that opened is remembered briefly (`recentlyOpened`), so a busy session is decrypted about
 * once in 30 seconds rather than on every call.
 */
export function createSessionSealer(secrets: string | string[]) {
  const list = Array.isArray(secrets) ? secrets : [secrets]
  if (!list.length || !list.every((s) => typeof s === 'string' && s.length >= 32))
    throw new MindbodyError(
      'invalid-input',
      `Invalid secret: ${list.some((s) => !s) ? 'it is missing; ' : ''}each must be a string of at least 32 characters`,
    )
  const ring = keyring(list)
  const opened = recentlyOpened<SealedToken>()
  const identity = staffIdentity(list[0]!)

  return {
    /** Seals `sealed` until `expiresAt` (ms since the epoch). */
    async seal(sealed: SealedToken, expiresAt: number): Promise<string> {
      const { until: _, desk: __, permissions, ...kept } = sealed
      const perms = permissions && sealedPermissions(permissions)
      return ring.seal({ ...kept, ...(perms && { perms }) }, expiresAt, undefined, true)
    },
    /** Opens a sealed value; `null` for anything tampered, foreign, expired or sealed with an unknown secret. */
    async open(sealed: string): Promise<SealedToken | null> {
      const known = opened.get(sealed)
      if (known) return known
      try {
        const payload = await ring.open(sealed)
        const token = tokenOf(payload)
        if (!token) return null
        opened.set(sealed, token, payload.exp! * 1000)
        return token
      } catch {
        return null
      }
    },
    /**
     * Seals any other `payload` of the proxy's own until `expiresAt`, marked as a `typ` (a desk's pass,
     * a desk's record), which only `unwrap` with that `typ` opens: never a session cookie.
     */
    wrap: (payload: object, typ: string, expiresAt: number) => ring.seal(payload, expiresAt, typ),
    /** What `wrap` sealed as `typ`, or `null` for anything tampered, expired, of another `typ` or not sealed here. */
    unwrap: (sealed: string, typ: string) => ring.open(sealed, typ).catch(() => null),
    /** Whether `sealed` opened a moment ago and is remembered. */
    remembers: (sealed: string) => opened.get(sealed) !== undefined,
    /** Forgets the cookie that opened as `token`, so no later call is answered from memory. */
    forget: opened.forget,
    /** Who signs in as `username` on `siteId`: a keyed hash (`staffIdentity`), never the name. */
    identity,
  }
}
