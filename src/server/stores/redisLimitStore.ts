import type { LimitStore } from './types'
import { redisCommand, redisGuard, type RedisLike } from './redisCommand'

/**
 * Options of `redisLimitStore`.
 *
 * @example
 * const options: RedisLimitStoreOptions = { prefix: 'portal:limit:', onStoreError: 'closed' }
 */
export interface RedisLimitStoreOptions {
  /** Put before every key. Default `'mindbody:limit:'`. */
  prefix?: string
  /**
   * When Redis fails: `'closed'` (default) refuses sign-in with 503 and sends nothing upstream, the
   * safe side against guessing; `'open'` lets sign-in through, unlimited, until Redis is back.
   */
  onStoreError?: 'open' | 'closed'
}

/** One atomic step: count the hit, and start the window on the first. Never a read, then a write. */
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`

/**
 * A `LimitStore` in Redis, so every instance of the proxy — replicas, serverless functions — shares
 * one count. It takes the `ioredis` or `node-redis` client you create (any client with `call` or
 * `sendCommand`, such as an HTTP-based one for edge runtimes), and counts each hit with one Lua
 * script: INCR, then PEXPIRE on the first. Keys are the proxy's, which hold SHA-256 hashes, never a
 * username or an IP. A failure of Redis is logged once, without the key, until Redis answers again.
 *
 * @example
 * import Redis from 'ioredis'
 * const limitStore = redisLimitStore(new Redis(process.env.REDIS_URL))
 * const proxy = createMindbodyProxy({ apiKey, secret, siteIds: [-99], limitStore })
 */
export function redisLimitStore(client: RedisLike, options: RedisLimitStoreOptions = {}): LimitStore {
  const { prefix = 'mindbody:limit:', onStoreError = 'closed' } = options
  const command = redisCommand(client)
  const guarded = redisGuard('limit store', () =>
    onStoreError === 'open' ? 'sign-in is let through without a limit.' : 'sign-in is refused with 503.',
  )
  // Open: an uncounted attempt; closed: the proxy answers 503 and sends nothing.
  const guard = <T>(work: () => Promise<T>, open: T) =>
    guarded(work, onStoreError === 'open' ? () => open : undefined)
  return {
    hit: (key, windowMs) =>
      guard(
        async () => Number(await command('EVAL', HIT, '1', prefix + key, String(Math.ceil(windowMs)))),
        0,
      ),
    reset: (key) => guard(async () => void (await command('DEL', prefix + key)), undefined),
  }
}
