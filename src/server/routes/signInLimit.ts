import { deadline } from '../deadline'
import { sha256Hex } from '../hex'
import { noted } from '../observe/outcome'
import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'
import { refuse } from '../responses'

const IP_LIMIT = 20

/** Counts one attempt for `userKey` and the client's IP; the refusal when either is over its limit. */
export async function overLimit(context: ProxyContext, call: ProxyCall, userKey: string, username: string) {
  const { request, client } = call
  const { limits, signInLimit, clientIp, storeTimeoutMs } = context
  const { max, windowMs } = signInLimit
  const ip = clientIp?.(request, client)
  // A store that stalls counts as one that failed.
  const hit = (key: string) => deadline(limits.hit(key, windowMs), storeTimeoutMs, new Error('stalled'))
  const tooMany = (limit: 'username' | 'ip') =>
    noted(
      refuse(429, 'Too many sign-in attempts. Try again later.', 'TooManyRequests', {
        'Retry-After': String(Math.ceil(windowMs / 1000)),
      }),
      { type: 'sign-in-limited', username, limit },
    )
  try {
    if ((await hit(userKey)) > max) return tooMany('username')
    if (ip && (await hit(`signin-ip:${await sha256Hex(ip)}`)) > IP_LIMIT) return tooMany('ip')
  } catch {
    // A store that cannot count fails closed: nothing is sent, so nothing can be guessed.
    return refuse(503, 'Sign-in is unavailable for a moment. Try again later.', 'ServiceUnavailable', {
      'Retry-After': '30',
    })
  }
  return undefined
}

/** Forgets `userKey`'s failed attempts: a courtesy, so a store that fails or stalls does not hold the sign-in. */
export const forgetAttempts = ({ limits, storeTimeoutMs }: ProxyContext, userKey: string) =>
  deadline(
    Promise.resolve().then(() => limits.reset?.(userKey)),
    storeTimeoutMs,
    null,
  ).catch(() => {})
