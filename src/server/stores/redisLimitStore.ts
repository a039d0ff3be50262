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

/** One atomic step for the call meter: each field counted, and the tally kept `ARGV[1]` ms more. */
const TALLY = `local out = {}
for i = 2, #ARGV do out[i - 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return out`

/** A hash as either client answers `HGETALL`: a flat list of names and values, or a record. */
const countsOf = (raw: unknown): Record<string, number> => {
  const pairs: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.flatMap((name, i) => (i % 2 ? [] : [[String(name), raw[i + 1]] as [string, unknown]]))
    : Object.entries((raw ?? {}) as Record<string, unknown>)
  return Object.fromEntries(pairs.map(([name, value]) => [name, Number(value)]))
}

/**
 * A `LimitStore` in Redis, so every instance of the proxy — replicas, serverless functions — shares
 * one count. It takes the `ioredis` or `node-redis` client you create (any client with `call` or
 * `sendCommand`, such as an HTTP-based one for edge runtimes), and counts each hit with one Lua
 * script: INCR, then PEXPIRE on the first. Keys are the proxy's, which hold SHA-256 hashes, never a
 * username or an IP. The call meter's tallies are hashes beside them (`<prefix>meter:…`), each call
 * counted with one Lua script of HINCRBYs. A failure of Redis is logged once, without the key, until Redis answers again.
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
    tally: (key, fields, ttlMs) =>
      guarded(async () => {
        const args = [String(Math.ceil(ttlMs)), ...fields]
        return ((await command('EVAL', TALLY, '1', prefix + key, ...args)) as unknown[]).map(Number)
      }),
    tallies: (key) => guarded(async () => countsOf(await command('HGETALL', prefix + key))),
  }
}
