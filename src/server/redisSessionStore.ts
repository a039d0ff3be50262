import type { SessionRecord, SessionStore } from './memorySessionStore'
import { redisCommand, redisGuard, type RedisLike } from './redisCommand'

/**
 * A `SessionStore` in Redis, so every instance of the proxy sees a revocation made on any: each record
 * under `<prefix><id>`, expiring with the session, and each site's ids in a set `<prefix>site:<siteId>`
 * that listing prunes. It takes the `ioredis` or `node-redis` client you create, as `redisLimitStore`
 * does. A failure of Redis is thrown, and the proxy answers 503 (fail closed); it is logged once,
 * without any key, until Redis answers again.
 *
 * @example
 * import Redis from 'ioredis'
 * const store = redisSessionStore(new Redis(process.env.REDIS_URL))
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
  const parse = (raw: unknown): SessionRecord | null => {
    try {
      return typeof raw === 'string' ? (JSON.parse(raw) as SessionRecord) : null
    } catch {
      return null
    }
  }
  return {
    set: guard(async (record) => {
      const ttl = String(Math.max(1, Math.ceil(record.expiresAt - Date.now())))
      await command('SET', prefix + record.id, JSON.stringify(record), 'PX', ttl)
      await command('SADD', site(record.siteId), record.id)
      await command('PEXPIRE', site(record.siteId), String(30 * 24 * 3600_000))
    }),
    get: guard(async (id) => parse(await command('GET', prefix + id))),
    list: guard(async (siteId, userId) => {
      const ids = ((await command('SMEMBERS', site(siteId))) as string[]) ?? []
      if (!ids.length) return []
      const raws = (await command('MGET', ...ids.map((id) => prefix + id))) as unknown[]
      const records = raws.map(parse)
      const gone = ids.filter((_, i) => !records[i])
      if (gone.length) await command('SREM', site(siteId), ...gone)
      return records.filter(
        (r): r is SessionRecord =>
          !!r && r.siteId === siteId && (userId === undefined || r.userId === userId),
      )
    }),
    delete: guard(async (id) => void (await command('DEL', prefix + id))),
  }
}
