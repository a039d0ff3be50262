import type { SessionRecord, SessionStore } from './types'
import { redisCommand, redisGuard, type RedisLike } from './redisCommand'

/** Sets or deletes KEYS[1] only if it holds ARGV[1] ('' for nothing): one atomic step in Redis. */
const SWAP = `local held = redis.call('GET', KEYS[1])
if (held or '') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`

/**
 * A `SessionStore` in Redis, so every instance of the proxy sees a revocation made on any: each record
 * under `<prefix><id>`, expiring with the session, each site's ids in a set `<prefix>site:<siteId>`
 * that listing prunes, each ended session's mark under `<prefix>ended:<key>`, and each desk under
 * `<prefix>desk:<id>`. Every write is one atomic command: an update is `SET … XX` (only while the
 * record exists), a mark is `SET … NX`, a desk's change a compare-and-set script. It
 * takes the `ioredis` or `node-redis` client you create, as `redisLimitStore` does; give that client a
 * command timeout too. A failure of Redis is thrown, and the proxy answers 503 (fail closed); it is
 * logged once, without any key, until Redis answers again.
 *
 * @example
 * import Redis from 'ioredis'
 * const store = redisSessionStore(new Redis(process.env.REDIS_URL, { commandTimeout: 1000 }))
 * const proxy = createMindbodyProxy({ apiKey, secret, siteIds: [-99], session: { store } })
 */
export function redisSessionStore(client: RedisLike, { prefix = 'mindbody:session:' } = {}): SessionStore {
  const command = redisCommand(client)
  const guarded = redisGuard('session store', () => 'calls with a session are refused with 503.')
  const guard =
    <A extends unknown[], T>(work: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> =>
      guarded(() => work(...args))
  const site = (siteId: string) => `${prefix}site:${siteId}`
  const ttl = (until: number) => String(Math.max(1, Math.ceil(until - Date.now())))
  const write = (record: SessionRecord, mode: 'NX' | 'XX') =>
    command('SET', prefix + record.id, JSON.stringify(record), 'PX', ttl(record.expiresAt), mode)
  const parse = (raw: unknown): SessionRecord | null => {
    try {
      return typeof raw === 'string' ? (JSON.parse(raw) as SessionRecord) : null
    } catch {
      return null
    }
  }
  return {
    create: guard(async (record) => {
      if ((await write(record, 'NX')) !== 'OK') throw new Error('A session id was taken twice')
      await command('SADD', site(record.siteId), record.id)
      await command('PEXPIRE', site(record.siteId), String(30 * 24 * 3600_000))
    }),
    update: guard(async (record) => (await write(record, 'XX')) === 'OK'),
    get: guard(async (id) => parse(await command('GET', prefix + id))),
    list: guard(async (siteId) => {
      const ids = ((await command('SMEMBERS', site(siteId))) as string[]) ?? []
      if (!ids.length) return []
      const records = ((await command('MGET', ...ids.map((id) => prefix + id))) as unknown[]).map(parse)
      const gone = ids.filter((_, i) => !records[i])
      if (gone.length) await command('SREM', site(siteId), ...gone)
      return records.filter((r): r is SessionRecord => !!r)
    }),
    revoke: guard(async (id) => void (await command('DEL', prefix + id))),
    claimEnd: guard(
      async (key, until) =>
        (await command('SET', `${prefix}ended:${key}`, '1', 'PX', ttl(until), 'NX')) === 'OK',
    ),
    read: guard(async (key) => {
      const value = await command('GET', `${prefix}desk:${key}`)
      return typeof value === 'string' ? value : null
    }),
    swap: guard(
      async (key, expected, next, ttlMs) =>
        Number(
          await command(
            'EVAL',
            SWAP,
            '1',
            `${prefix}desk:${key}`,
            expected ?? '',
            next ?? '',
            String(Math.max(1, Math.ceil(ttlMs))),
          ),
        ) === 1,
    ),
  }
}
