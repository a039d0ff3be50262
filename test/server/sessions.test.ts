import Redis from 'ioredis'
import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { memorySessionStore, redisSessionStore, type MindbodyProxyOptions } from '../../src/server'
import { createSessionSealer } from '../../src/server/cookie/sessionSealer'
import { pageCall, SECRET, startProxy } from './startProxy'
import { startRedis } from './startRedis'
import { startStandIn } from './standIn'

/**
 * The proxy's session limits and store over real sockets, with a clock the test moves (only `Date`
 * is faked: the sockets and their timers are real).
 */
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })
const MINUTE = 60_000
const TOKEN_PATH = '/mindbody/public/v6/usertoken'

let standIn: Awaited<ReturnType<typeof startStandIn>>
const open: Array<{ close(): Promise<void> }> = []
beforeAll(async () => void (standIn = await startStandIn()))
afterAll(() => standIn.close())
beforeEach(() => void vi.useFakeTimers({ toFake: ['Date'] }))
afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(open.splice(0).map((p) => p.close()))
  standIn.mindbody.reset()
})

async function proxyWith(session: MindbodyProxyOptions['session']) {
  const started = await startProxy(standIn.url, { session })
  open.push(started)
  const call = pageCall(started.origin)
  const signIn = async () => {
    const response = await call(`${TOKEN_PATH}/issue`, undefined, { method: 'POST', body: STAFF })
    expect(response.status).toBe(200)
    const setCookie = response.headers.get('Set-Cookie')!
    return { cookie: setCookie.split(';')[0]!, setCookie, token: standIn.mindbody.validTokens().at(-1)! }
  }
  const activity = (cookie: string) => call('/mindbody/session/activity', cookie, { method: 'POST' })
  return { ...started, call, signIn, activity }
}

/** The proxy's answer to a call on an ended session: 401 SessionExpired with its reason, the cookie cleared. */
async function expectEnded(response: Response, reason: string) {
  expect(response.status).toBe(401)
  expect(await response.json()).toEqual({
    Error: { Message: 'This session has ended. Sign in again.', Code: 'SessionExpired', Reason: reason },
  })
  expect(response.headers.get('Set-Cookie')).toMatch(/^mindbody-session\.-99=; Path=\/mindbody; Max-Age=0;/)
}

describe('session limits on the proxy', () => {
  it('ends a session idle for idleTimeoutMs, whatever the browser says, and revokes its token', async () => {
    const proxy = await proxyWith({ idleTimeoutMs: 15 * MINUTE })
    const { cookie, token } = await proxy.signIn()
    vi.setSystemTime(Date.now() + 10 * MINUTE)
    const active = await proxy.activity(cookie)
    expect(active.status).toBe(204)
    const resealed = active.headers.get('Set-Cookie')!.split(';')[0]!
    // Ten minutes after that activity, twenty after sign-in: still signed in.
    vi.setSystemTime(Date.now() + 10 * MINUTE)
    expect((await proxy.call('/mindbody/session', resealed)).status).toBe(200)
    // The old cookie's last activity is the sign-in, twenty minutes ago.
    await expectEnded(await proxy.call('/mindbody/session', cookie), 'idle')
    expect(standIn.mindbody.isValid(token)).toBe(false)

    const again = await proxy.signIn()
    vi.setSystemTime(Date.now() + 15 * MINUTE)
    // Background calls are no activity: a renew, a forwarded call, then the limit.
    await expectEnded(await proxy.call(`${TOKEN_PATH}/renew`, again.cookie, { method: 'POST' }), 'idle')
    expect(standIn.mindbody.isValid(again.token)).toBe(false)
  })

  it('ends a session absoluteTimeoutMs after sign-in, whatever renewals happened', async () => {
    const proxy = await proxyWith({ absoluteTimeoutMs: 60 * MINUTE })
    const signedIn = await proxy.signIn()
    let { cookie } = signedIn
    for (let i = 0; i < 2; i++) {
      vi.setSystemTime(Date.now() + 25 * MINUTE)
      const renewed = await proxy.call(`${TOKEN_PATH}/renew`, cookie, { method: 'POST' })
      expect(renewed.status).toBe(200)
      cookie = renewed.headers.get('Set-Cookie')!.split(';')[0]!
    }
    vi.setSystemTime(Date.now() + 10 * MINUTE)
    await expectEnded(await proxy.call('/mindbody/public/v6/staff/staff', cookie), 'absolute')
    expect(standIn.mindbody.validTokens()).toEqual([])
  })

  it('sets a transient cookie, with no Max-Age, when asked; the default lasts to the token', async () => {
    const transient = await proxyWith({ transient: true })
    const { setCookie, cookie } = await transient.signIn()
    expect(setCookie).toMatch(/^mindbody-session\.-99=[^;]+; Path=\/mindbody; HttpOnly; SameSite=Strict$/)
    const cleared = await transient.call(`${TOKEN_PATH}/revoke`, cookie, { method: 'DELETE' })
    expect(cleared.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    const lasting = await proxyWith({})
    expect((await lasting.signIn()).setCookie).toMatch(/; Max-Age=\d+;/)
  })

  it('re-seals at most once a minute, so parallel calls never depend on each other', async () => {
    const proxy = await proxyWith({ idleTimeoutMs: 15 * MINUTE })
    const { cookie } = await proxy.signIn()
    vi.setSystemTime(Date.now() + 30_000)
    const early = await Promise.all(Array.from({ length: 5 }, () => proxy.activity(cookie)))
    expect(early.map((r) => [r.status, r.headers.get('Set-Cookie')])).toEqual(Array(5).fill([204, null]))
    const reads = await Promise.all(Array.from({ length: 5 }, () => proxy.call('/mindbody/session', cookie)))
    expect(reads.map((r) => [r.status, r.headers.get('Set-Cookie')])).toEqual(Array(5).fill([200, null]))

    vi.setSystemTime(Date.now() + 40_000)
    const late = await Promise.all(Array.from({ length: 5 }, () => proxy.activity(cookie)))
    const cookies = late.map((r) => r.headers.get('Set-Cookie')!.split(';')[0]!)
    expect(late.map((r) => r.status)).toEqual(Array(5).fill(204))
    // Any one of them will do: each carries the same activity.
    vi.setSystemTime(Date.now() + 14 * MINUTE)
    for (const one of cookies) expect((await proxy.call('/mindbody/session', one)).status).toBe(200)
  })
})

// The proxy remembers a cookie that opened for up to 30 seconds, so each case ends its session inside that.
describe('the memory of opened cookies', () => {
  const STAFF_LIST = '/mindbody/public/v6/staff/staff'

  it('never answers an idle-ended or absolute-ended session from memory', async () => {
    const idle = await proxyWith({ idleTimeoutMs: 20_000 })
    const quiet = await idle.signIn()
    vi.setSystemTime(Date.now() + 5_000)
    expect((await idle.call(STAFF_LIST, quiet.cookie)).status).toBe(200)
    vi.setSystemTime(Date.now() + 16_000)
    await expectEnded(await idle.call(STAFF_LIST, quiet.cookie), 'idle')

    const absolute = await proxyWith({ absoluteTimeoutMs: 20_000 })
    const long = await absolute.signIn()
    vi.setSystemTime(Date.now() + 5_000)
    expect((await absolute.call(STAFF_LIST, long.cookie)).status).toBe(200)
    vi.setSystemTime(Date.now() + 16_000)
    await expectEnded(await absolute.call(STAFF_LIST, long.cookie), 'absolute')
  })

  it("never answers a cookie from memory past the cookie's own expiry", async () => {
    const proxy = await proxyWith({})
    const { token } = await proxy.signIn()
    const now = Date.now()
    const sealed = await createSessionSealer(SECRET).seal(
      { AccessToken: token, siteId: '-99', version: '6', signedInAt: now, activeAt: now },
      now + 10_000,
    )
    const cookie = `mindbody-session.-99=${sealed}`
    const forwarded = () => standIn.seen.filter((r) => r.path === '/public/v6/staff/staff').length
    const before = forwarded()
    expect((await proxy.call(STAFF_LIST, cookie)).status).toBe(200)
    vi.setSystemTime(now + 11_000)
    const late = await proxy.call(STAFF_LIST, cookie)
    expect(late.status).toBe(401)
    expect(late.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    expect(forwarded() - before).toBe(1)
  })

  it('never answers a revoked session from memory, whoever revoked it', async () => {
    const proxy = await proxyWith({ store: memorySessionStore() })
    const revoked = await proxy.signIn()
    expect((await proxy.call(STAFF_LIST, revoked.cookie)).status).toBe(200)
    const [record] = await proxy.proxy.sessions.list({ siteId: -99 })
    expect(await proxy.proxy.sessions.revoke({ siteId: -99, sessionId: record!.id })).toBe(1)
    await expectEnded(await proxy.call(STAFF_LIST, revoked.cookie), 'revoked')

    // Signed out, then the same cookie replayed: it ended with the sign-out.
    const signedOut = await proxy.signIn()
    expect((await proxy.call(STAFF_LIST, signedOut.cookie)).status).toBe(200)
    const bye = await proxy.call(`${TOKEN_PATH}/revoke`, signedOut.cookie, { method: 'DELETE' })
    expect(bye.ok).toBe(true)
    await expectEnded(await proxy.call(STAFF_LIST, signedOut.cookie), 'revoked')
  })
})

describe('a session store', () => {
  it('lists a staff member’s own sessions, ends another device’s through the route, and revokes its token', async () => {
    const proxy = await proxyWith({ store: memorySessionStore() })
    const desk = await proxy.signIn()
    const tablet = await proxy.signIn()
    const listed = await proxy.call('/mindbody/sessions', desk.cookie)
    const { Sessions } = (await listed.json()) as { Sessions: Array<{ Id: string; Current: boolean }> }
    expect(Sessions).toHaveLength(2)
    expect(JSON.stringify(Sessions)).not.toMatch(/demo\.staff|AccessToken/)
    const other = Sessions.find((s) => !s.Current)!

    expect(
      (await proxy.call(`/mindbody/sessions/${other.Id}`, desk.cookie, { method: 'DELETE' })).status,
    ).toBe(204)
    await expectEnded(await proxy.call('/mindbody/session', tablet.cookie), 'revoked')
    expect(standIn.mindbody.isValid(tablet.token)).toBe(false)
    expect((await proxy.call('/mindbody/session', desk.cookie)).status).toBe(200)
    // Deleting needs the CSRF header, as every state change does.
    const forged = await fetch(`${proxy.origin}/mindbody/sessions/${other.Id}`, {
      method: 'DELETE',
      headers: { Origin: proxy.origin, SiteId: '-99', Cookie: desk.cookie },
    })
    expect(forged.status).toBe(403)
  })

  it('never shows or ends another staff member’s session through the routes', async () => {
    const proxy = await proxyWith({ store: memorySessionStore() })
    const staff = await proxy.signIn()
    const owner = await proxy.call(`${TOKEN_PATH}/issue`, undefined, {
      method: 'POST',
      body: JSON.stringify({ Username: 'demo.owner', Password: 'demo-password' }),
    })
    const ownerCookie = owner.headers.get('Set-Cookie')!.split(';')[0]!
    const [ownerRecord] = (await proxy.proxy.sessions.list({ siteId: -99, username: 'demo.owner' }))!
    const listed = (await (await proxy.call('/mindbody/sessions', staff.cookie)).json()) as {
      Sessions: unknown[]
    }
    expect(listed.Sessions).toHaveLength(1)
    expect(JSON.stringify(listed)).not.toContain(ownerRecord!.id)
    const refused = await proxy.call(`/mindbody/sessions/${ownerRecord!.id}`, staff.cookie, {
      method: 'DELETE',
    })
    expect(refused.status).toBe(404)
    expect((await proxy.call('/mindbody/session', ownerCookie)).status).toBe(200)
  })

  it('revokes by user and by id through proxy.sessions', async () => {
    const proxy = await proxyWith({ store: memorySessionStore() })
    const first = await proxy.signIn()
    const second = await proxy.signIn()
    const records = await proxy.proxy.sessions.list({ siteId: -99 })
    expect(records).toHaveLength(2)
    expect(records[0]).toMatchObject({ siteId: '-99', userId: expect.any(Number) })
    for (const secret of ['demo.staff', 'demo-password', first.token, second.token])
      expect(JSON.stringify(records)).not.toContain(secret)

    expect(await proxy.proxy.sessions.revoke({ siteId: -99, sessionId: records[0]!.id })).toBe(1)
    expect(await proxy.proxy.sessions.revoke({ siteId: -98, sessionId: records[1]!.id })).toBe(0)
    const byUser = await proxy.proxy.sessions.revoke({ siteId: -99, userId: records[1]!.userId! })
    expect(byUser).toBe(1)
    for (const { cookie, token } of [first, second]) {
      await expectEnded(await proxy.call('/mindbody/session', cookie), 'revoked')
      expect(standIn.mindbody.isValid(token)).toBe(false)
    }
  })

  it('answers 404 for the sessions routes without a store', async () => {
    const proxy = await proxyWith({})
    const { cookie } = await proxy.signIn()
    expect((await proxy.call('/mindbody/sessions', cookie)).status).toBe(404)
    expect(() => proxy.proxy.sessions.list({ siteId: -99 })).toThrow(/needs a session store/)
  })
})

describe('redisSessionStore on a real redis-server', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>
  beforeAll(async () => void (redis = await startRedis()))
  afterAll(() => redis.stop())

  const client = async () => {
    const connection = new Redis(redis.url, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
    })
    connection.on('error', () => {})
    await connection.connect()
    open.push({ close: async () => void connection.disconnect() })
    return connection
  }

  /** The other client shape: node-redis's `sendCommand`. */
  const nodeRedis = async () => {
    const connection = createClient({ url: redis.url, disableOfflineQueue: true })
    connection.on('error', () => {})
    await connection.connect()
    open.push({ close: async () => void (await connection.destroy()) })
    return connection
  }

  it('lets a second proxy instance (the other client) see a revocation made by the first, with keys that expire', async () => {
    const connection = await client()
    const a = await proxyWith({ store: redisSessionStore(connection) })
    const b = await proxyWith({ store: redisSessionStore(await nodeRedis()) })
    const { cookie, token } = await a.signIn()
    expect((await b.call('/mindbody/session', cookie)).status).toBe(200)
    const [record] = await b.proxy.sessions.list({ siteId: -99 })
    expect(await connection.pttl(`mindbody:session:${record!.id}`)).toBeGreaterThan(23 * 3600_000)

    expect(await a.proxy.sessions.revoke({ siteId: -99 })).toBe(1)
    await expectEnded(await b.call('/mindbody/session', cookie), 'revoked')
    expect(standIn.mindbody.isValid(token)).toBe(false)
  })

  it('fails closed with 503 when Redis stops, sending nothing upstream', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const proxy = await proxyWith({ store: redisSessionStore(await client()) })
    const { cookie, token } = await proxy.signIn()
    await redis.stop()
    const seen = standIn.seen.length
    for (const path of ['/mindbody/session', '/mindbody/public/v6/staff/staff']) {
      const refused = await proxy.call(path, cookie)
      expect(refused.status).toBe(503)
      expect(refused.headers.get('Retry-After')).toBe('30')
    }
    const signIn = await proxy.call(`${TOKEN_PATH}/issue`, undefined, { method: 'POST', body: STAFF })
    expect(signIn.status).toBe(503)
    // The sign-in reached Mindbody, and its token was revoked there at once: no session outlives the store.
    expect(standIn.mindbody.validTokens()).toEqual([token])
    expect(standIn.seen.slice(seen).map((r) => r.decoded)).toEqual([
      '/public/v6/usertoken/issue',
      '/public/v6/staff/staffpermissions',
      '/public/v6/usertoken/revoke',
    ])
    redis = await startRedis(redis.port)
  })
})
