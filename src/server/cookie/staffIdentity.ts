import { hex } from '../hex'

const encoder = new TextEncoder()

/**
 * Who signs in as `username` on `siteId`: an HMAC-SHA-256 under `secret`, so two owners (both
 * `User.Id` 0) are told apart and no store holds a username. Compatibility forms (fullwidth,
 * ligatures) and case are one username, as the sign-in limit counts them (docs/assumptions.md).
 */
export function staffIdentity(secret: string) {
  const staffKey = crypto.subtle.importKey(
    'raw',
    encoder.encode(`staff identity\0${secret}`),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  staffKey.catch(() => undefined)
  return async (siteId: string, username: string) => {
    const name = username.normalize('NFKC').trim().toLowerCase()
    const mac = await crypto.subtle.sign('HMAC', await staffKey, encoder.encode(`${siteId}\0${name}`))
    return hex(new Uint8Array(mac).slice(0, 16))
  }
}
