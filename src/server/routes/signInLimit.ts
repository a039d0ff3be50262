import { deadline } from '../deadline'
import { sha256Hex } from '../hex'
import { noted } from '../observe/outcome'
import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'
import { refuse } from '../responses'

const IP_LIMIT = 20

/**
 * Counts one attempt at `key` (or at the key it settles to) in the sign-in limit's window: `'over'`
 * when that makes more than `max` (the sign-in limit's own unless given), `'failed'` when the store
 * fails or stalls past its deadline, or the key cannot be made, and `undefined` while within the
 * limit. A caller fails closed on `'failed'`: a store that cannot count lets nothing be guessed.
 */
export async function limitHit(
  { limits, signInLimit, storeTimeoutMs }: ProxyContext,
  key: string | Promise<string>,
  max = signInLimit.max,
): Promise<'over' | 'failed' | undefined> {
  let count: number
  try {
    // A store that stalls counts as one that failed.
    count = await deadline(limits.hit(await key, signInLimit.windowMs), storeTimeoutMs, new Error('stalled'))
  } catch {
    return 'failed'
  }
  // Not a count (0 is a store's uncounted attempt, failing open): a broken store never opens the limit.
  if (!Number.isFinite(count) || count < 0) return 'failed'
  return count > max ? 'over' : undefined
}

/** Counts one attempt for `userKey` and the client's IP; the refusal when either is over its limit. */
export async function overLimit(context: ProxyContext, call: ProxyCall, userKey: string, username: string) {
  const { request, client } = call
  const { signInLimit, clientIp } = context
  const ip = clientIp?.(request, client)
  // The IP's key, a hash, is made only when the username is within its limit.
  const ipKey = async (address: string) => `signin-ip:${await sha256Hex(address)}`
  const byName = await limitHit(context, userKey)
  const hit = byName ?? (ip ? await limitHit(context, ipKey(ip), IP_LIMIT) : undefined)
  // A store that cannot count fails closed: nothing is sent, so nothing can be guessed.
  if (hit === 'failed')
    return refuse(503, 'Sign-in is unavailable for a moment. Try again later.', 'ServiceUnavailable', {
      'Retry-After': '30',
    })
  if (!hit) return undefined
  const limit = byName ? 'username' : 'ip'
  return noted(
    refuse(429, 'Too many sign-in attempts. Try again later.', 'TooManyRequests', {
      'Retry-After': String(Math.ceil(signInLimit.windowMs / 1000)),
    }),
    { type: 'sign-in-limited', username, limit },
  )
}

/** Forgets `userKey`'s failed attempts: a courtesy, so a store that fails or stalls does not hold the sign-in. */
export const forgetAttempts = ({ limits, storeTimeoutMs }: ProxyContext, userKey: string) =>
  deadline(
    Promise.resolve().then(() => limits.reset?.(userKey)),
    storeTimeoutMs,
    null,
  ).catch(() => {})
