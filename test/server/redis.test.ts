import Redis from 'ioredis'
import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { redisLimitStore, type RedisLike, type RedisLimitStoreOptions } from '../../src/server'
import { startProxy } from './startProxy'
import { startRedis } from './startRedis'
import { startStandIn } from './standIn'

/**
 * Several proxy instances, one set of limits: two real proxies over real sockets share one real
 * Redis (Debian's redis-server) in front of the loopback Mindbody stand-in, through either client.
 */
const WRONG = JSON.stringify({ Username: 'demo.staff', Password: 'wrong' })
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })

interface Client {
  redis: RedisLike
  keys(pattern: string): Promise<string[]>
  close(): Promise<void>
}
const clients: Array<[string, (url: string) => Promise<Client>]> = [
  [
    'ioredis',
    async (url) => {
      const redis = new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true })
      redis.on('error', () => {})
      await redis.connect()
      return { redis, keys: (p) => redis.keys(p), close: async () => void redis.disconnect() }
    },
  ],
  [
    'node-redis',
    async (url) => {
      const redis = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 200 } })
      redis.on('error', () => {})
      await redis.connect()
      return { redis, keys: (p) => redis.keys(p), close: async () => void (await redis.destroy()) }
    },
  ],
]

let standIn: Awaited<ReturnType<typeof startStandIn>>
beforeAll(async () => void (standIn = await startStandIn()))
afterAll(() => standIn.close())

describe.each(clients)('redisLimitStore with %s', (_name, connect) => {
  let redis: Awaited<ReturnType<typeof startRedis>>
  let client: Client
  const open: Array<{ close(): Promise<void> }> = []
  beforeAll(async () => {
    redis = await startRedis()
    client = await connect(redis.url)
  })
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()))
    vi.restoreAllMocks()
  })
  afterAll(async () => {
    await client.close()
    await redis.stop()
  })

  /** Two proxy instances on one store; `username` keeps each test's count its own. */
  async function twoInstances(store: RedisLimitStoreOptions = {}, limit = { max: 5, windowMs: 60_000 }) {
    const limitStore = redisLimitStore(client.redis, store)
    const a = await startProxy(standIn.url, { limitStore, signInLimit: limit })
    const b = await startProxy(standIn.url, { limitStore, signInLimit: limit })
    open.push(a, b)
    return [a.origin, b.origin] as const
  }
  const signIn = (origin: string, body: string, username: string) =>
    fetch(`${origin}/mindbody/public/v6/usertoken/issue`, {
      method: 'POST',
      headers: { 'X-Mindbody-Proxy': '1', Origin: origin, SiteId: '-99', 'Content-Type': 'application/json' },
      body: body.replace('demo.staff', username),
    })
  const upstreamIssues = () => standIn.seen.filter((r) => r.path.endsWith('/issue')).length

  it('counts failures across instances: the sixth, on either, answers 429 and sends nothing', async () => {
    const [a, b] = await twoInstances()
    const user = `spread-${_name}`
    for (const origin of [a, b, a, b, a]) expect((await signIn(origin, WRONG, user)).status).toBe(403)
    const before = upstreamIssues()
    for (const origin of [a, b]) {
      const answer = await signIn(origin, WRONG, user)
      expect(answer.status).toBe(429)
      expect(Number(answer.headers.get('Retry-After'))).toBe(60)
    }
    expect(upstreamIssues()).toBe(before)
  })

  it('lets sign-in through again once the window has passed', async () => {
    const [a, b] = await twoInstances({}, { max: 2, windowMs: 800 })
    const user = `window-${_name}`
    expect((await signIn(a, WRONG, user)).status).toBe(403)
    expect((await signIn(b, WRONG, user)).status).toBe(403)
    expect((await signIn(a, WRONG, user)).status).toBe(429)
    await new Promise((resolve) => setTimeout(resolve, 900))
    expect((await signIn(b, WRONG, user)).status).toBe(403)
  })

  it('lets exactly the limit through when 50 wrong sign-ins race across both instances', async () => {
    const [a, b] = await twoInstances()
    const user = `race-${_name}`
    const before = upstreamIssues()
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn(i % 2 ? a : b, WRONG, user).then((r) => r.status)),
    )
    expect(upstreamIssues() - before).toBe(5)
    expect(answers.filter((s) => s === 403)).toHaveLength(5)
    expect(answers.filter((s) => s === 429)).toHaveLength(45)
  })

  it('keeps keys under its prefix, hashed, with no username in Redis', async () => {
    const [a] = await twoInstances({ prefix: 'portal:limit:' })
    await signIn(a, WRONG, `prefixed-${_name}`)
    const keys = await client.keys('portal:limit:*')
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.join(' ')).not.toMatch(/prefixed|demo|staff/)
    expect(keys.every((k) => /^portal:limit:signin:-99:[0-9a-f]{64}$/.test(k))).toBe(true)
  })

  it('forgets the count after a successful sign-in', async () => {
    const [a, b] = await twoInstances({}, { max: 3, windowMs: 60_000 })
    for (let i = 0; i < 2; i++) await signIn(a, WRONG, 'demo.staff')
    expect((await signIn(b, STAFF, 'demo.staff')).status).toBe(200)
    for (let i = 0; i < 3; i++) expect((await signIn(a, WRONG, 'demo.staff')).status).toBe(403)
    expect((await signIn(b, WRONG, 'demo.staff')).status).toBe(429)
  })
})

describe('when Redis stops mid-run', () => {
  it.each(['closed', 'open'] as const)('fails %s, and says so once, with no secret', async (onStoreError) => {
    const redis = await startRedis()
    const [, connect] = clients[0]!
    const client = await connect(redis.url)
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const limitStore = redisLimitStore(client.redis, { onStoreError })
    const proxy = await startProxy(standIn.url, { limitStore })
    try {
      expect((await signInAt(proxy.origin, WRONG)).status).toBe(403)
      await redis.stop()
      const before = standIn.seen.length
      const answers = [await signInAt(proxy.origin, STAFF), await signInAt(proxy.origin, WRONG)]
      if (onStoreError === 'closed') {
        expect(answers.map((a) => a.status)).toEqual([503, 503])
        expect(await answers[0]!.json()).toMatchObject({ Error: { Code: 'ServiceUnavailable' } })
        expect(standIn.seen.length).toBe(before)
      } else {
        expect(answers.map((a) => a.status)).toEqual([200, 403])
        expect(standIn.seen.length).toBeGreaterThan(before)
      }
      expect(errors).toHaveBeenCalledTimes(1)
      const line = String(errors.mock.calls[0]![0])
      expect(line).toMatch(/Redis limit store failed/)
      expect(line).not.toMatch(/demo|password|wrong|signin:|the-server-side-api-key/)
    } finally {
      errors.mockRestore()
      await proxy.close()
      await client.close()
      await redis.stop()
    }
  })
})

const signInAt = (origin: string, body: string) =>
  fetch(`${origin}/mindbody/public/v6/usertoken/issue`, {
    method: 'POST',
    headers: { 'X-Mindbody-Proxy': '1', Origin: origin, SiteId: '-99', 'Content-Type': 'application/json' },
    body,
  })
