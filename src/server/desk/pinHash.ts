/**
 * A desk PIN as the store keeps it: never the PIN, only a slow salted hash of it, PBKDF2-HMAC-SHA-256
 * with 600 000 iterations (OWASP's figure for it; 100 000 on a runtime that refuses more: Cloudflare
 * has documented such a limit for its Workers, though the workerd tested here takes 600 000) and a
 * random 16-byte salt, both in base64url. The iterations are kept with it, so instances on different
 * runtimes check each other's.
 */
export interface KeptPin {
  salt: string
  hash: string
  iterations: number
}

const ITERATIONS = 600_000
/** The iterations where a runtime refuses `ITERATIONS`. */
const FEWER = 100_000

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

const bytesOf = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveBits',
  ])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256)
  return new Uint8Array(bits)
}

/** The kept form of a new `pin`. */
export async function hashPin(pin: string): Promise<KeptPin> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const kept = async (iterations: number) => ({
    salt: base64url(salt),
    hash: base64url(await derive(pin, salt, iterations)),
    iterations,
  })
  return kept(ITERATIONS).catch(() => kept(FEWER))
}

/** Whether `pin` is the one `kept` was made of, compared in constant time. */
export async function pinMatches(pin: string, kept: KeptPin): Promise<boolean> {
  try {
    const expected = bytesOf(kept.hash)
    const actual = await derive(pin, bytesOf(kept.salt), kept.iterations)
    let differ = expected.length ^ actual.length
    for (let i = 0; i < actual.length; i++) differ |= actual[i]! ^ (expected[i] ?? 0)
    return differ === 0
  } catch {
    return false
  }
}
