import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose'
import { hex } from '../hex'

const encoder = new TextEncoder()

/**
 * An AES-256 key for `secret` by HKDF-SHA-256, imported once as a `CryptoKey` (so no seal or open
 * imports it again), and its id: the first 8 bytes of its SHA-256, hex.
 */
async function deriveKey(secret: string) {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode('react-mindbody-user-token'),
      info: encoder.encode('session cookie A256GCM'),
    },
    material,
    256,
  )
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bits))
  const kid = hex(digest.slice(0, 8))
  const key = await crypto.subtle.importKey('raw', bits, 'AES-GCM', false, ['encrypt', 'decrypt'])
  return { key, kid }
}

/**
 * The proxy's keys, one per secret: JWEs, `dir` + `A256GCM` (AES-GCM, so encrypted and
 * authenticated), sealed with the first and opened with any, so a new secret can be put first while
 * what the old one sealed still opens. `typ` tells what a JWE is: a session cookie has none.
 */
export function keyring(secrets: string[]) {
  const keys = Promise.all(secrets.map(deriveKey))
  // A failure is reported by the first seal or open, never as an unhandled rejection.
  keys.catch(() => undefined)
  return {
    /** Seals `payload` as a `typ` (none for a session cookie) until `expiresAt`, in ms since the epoch. */
    async seal(payload: object, expiresAt: number, typ?: string, issuedAt = false): Promise<string> {
      const [{ key, kid }] = (await keys) as [{ key: CryptoKey; kid: string }]
      const jwt = new EncryptJWT(payload as JWTPayload)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid, ...(typ && { typ }) })
        .setExpirationTime(Math.floor(expiresAt / 1000))
      return (issuedAt ? jwt.setIssuedAt() : jwt).encrypt(key)
    },
    /** The payload of a JWE sealed here as `typ` (none: a session cookie); throws for anything else. */
    async open(sealed: string, typ?: string): Promise<JWTPayload> {
      const all = await keys
      const { payload, protectedHeader } = await jwtDecrypt(
        sealed,
        ({ kid }) => {
          const found = all.find((k) => k.kid === kid)
          if (!found) throw new Error('unknown key')
          return found.key
        },
        { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] },
      )
      if (protectedHeader.typ !== typ) throw new Error('another kind of JWE')
      return payload
    },
  }
}
