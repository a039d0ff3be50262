import Redis from 'ioredis'
import { http } from 'msw'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { MindbodyError } from '../../src'
import { demoStaff } from '../../src/testing'
import {
  memorySessionStore,
  redisSessionStore,
  type MindbodyProxyOptions,
  type SessionStore,
} from '../../src/server'
import { pageCall, startProxy } from './startProxy'
import { startRedis } from './startRedis'
import { startStandIn } from './standIn'

/**
 * A revoked session stays revoked: renewals and activity reports in flight across a revocation, on
 * one instance or another sharing Redis, replays of a dead cookie, and owners (all `User.Id` 0) told
 * apart. Real sockets throughout; a renewal is held at the Mindbody stand-in, an activity report in
 * the store (a `SessionStore` wrapper), until the test lets it go.
 */
const MINUTE = 60_000
const TOKEN_PATH = '/mindbody/public/v6/usertoken'
const OWNERS = [
  ...demoStaff,
  {
    Username: 'second.owner',
    Password: 'owner-password',
    User: { Id: 0, FirstName: 'Katherine', LastName: 'Johnson', Type: 'Owner' },
  },
]

let standIn: Awaited<ReturnType<typeof startStandIn>>
let redis: Awaited<ReturnType<typeof startRedis>>
const open: Array<{ close(): Promise<void> }> = []
beforeAll(async () => {
  standIn = await startStandIn({ users: OWNERS })
  redis = await startRedis()
})
afterAll(async () => {
  await standIn.close()
  await redis.stop()
})
beforeEach(() => void vi.useFakeTimers({ toFake: ['Date'] }))
afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(open.splice(0).map((p) => p.close()))
  standIn.mindbody.reset()
})

/** A gate: `wait()` holds until `release()`; `reached` resolves when something first waits. */
function gate() {
  let release!: () => void
  let reach!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const reached = new Promise<void>((resolve) => (reach = resolve))
  return { wait: () => (reach(), released), release, reached }
}

async function proxyWith(session: MindbodyProxyOptions['session']) {
  const started = await startProxy(standIn.url, { session })
  open.push(started)
  const call = pageCall(started.origin)
  const signIn = async (Username = 'demo.staff', Password = 'demo-password') => {
    const response = await call(`${TOKEN_PATH}/issue`, undefined, {
      method: 'POST',
      body: JSON.stringify({ Username, Password }),
    })
    expect(response.status).toBe(200)
    const cookie = response.headers.get('Set-Cookie')!.split(';')[0]!
    return { cookie, token: standIn.mindbody.validTokens().at(-1)! }
  }
  const renew = (cookie: string) => call(`${TOKEN_PATH}/renew`, cookie, { method: 'POST' })
  return { ...started, call, signIn, renew }
}

async function redisClient() {
  const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 })
  client.on('error', () => {})
  await client.connect()
  open.push({ close: async () => void client.disconnect() })
  return client
}

/** The answer to a call on a revoked session: 401 SessionExpired, `revoked`, the cookie cleared. */
async function expectRevoked(response: Response) {
  expect(response.status).toBe(401)
  expect(await response.json()).toMatchObject({ Error: { Code: 'SessionExpired', Reason: 'revoked' } })
  expect(response.headers.get('Set-Cookie')).toMatch(/^mindbody-session\.-99=; Path=\/mindbody; Max-Age=0;/)
}

/** Holds the next renewal at the stand-in, as a slow Mindbody would, until `release()`. */
function holdRenewal() {
  const held = gate()
  standIn.use(http.post('*/public/:version/usertoken/renew', () => held.wait()))
  return held
}

const revokes = () => standIn.seen.filter((r) => r.decoded.endsWith('/usertoken/revoke')).length

describe('a renewal in flight across a revocation', () => {
  const revokers: Array<
    [string, (a: Awaited<ReturnType<typeof proxyWith>>, cookie: string, other: string) => Promise<void>]
  > = [
    [
      'proxy.sessions.revoke',
      async (a) => {
        const [record] = await a.proxy.sessions.list({ siteId: -99, username: 'demo.staff' })
        expect(await a.proxy.sessions.revoke({ siteId: -99, sessionId: record!.id })).toBe(1)
      },
    ],
    [
      'DELETE /sessions/{id} from another device',
      async (a, cookie, other) => {
        const listed = await (await a.call('/mindbody/sessions', other)).json()
        const target = listed.Sessions.find((s: { Current: boolean }) => !s.Current)
        expect((await a.call(`/mindbody/sessions/${target.Id}`, other, { method: 'DELETE' })).status).toBe(
          204,
        )
        void cookie
      },
    ],
  ]

  it.each(revokers)(
    'stays revoked when revoked through %s, and its renewed token is revoked',
    async (_, revoke) => {
      const a = await proxyWith({ store: memorySessionStore() })
      const { cookie, token } = await a.signIn()
      const other = await a.signIn()
      const held = holdRenewal()
      const renewing = a.renew(cookie)
      await held.reached
      await revoke(a, cookie, other.cookie)
      held.release()

      await expectRevoked(await renewing)
      await expectRevoked(await a.call('/mindbody/session', cookie))
      expect((await a.proxy.sessions.list({ siteId: -99 })).map((r) => r.id)).toHaveLength(1)
      expect(standIn.mindbody.isValid(token)).toBe(false)
      expect(standIn.mindbody.isValid(other.token)).toBe(true)
    },
  )

  it('stays revoked on every instance sharing Redis when another instance revoked it', async () => {
    const a = await proxyWith({ store: redisSessionStore(await redisClient()) })
    const b = await proxyWith({ store: redisSessionStore(await redisClient()) })
    const { cookie, token } = await a.signIn()
    const held = holdRenewal()
    const renewing = a.renew(cookie)
    await held.reached
    expect(await b.proxy.sessions.revoke({ siteId: -99, username: 'demo.staff' })).toBe(1)
    held.release()

    await expectRevoked(await renewing)
    for (const proxy of [a, b]) {
      await expectRevoked(await proxy.call('/mindbody/public/v6/staff/staff', cookie))
      expect(await proxy.proxy.sessions.list({ siteId: -99 })).toEqual([])
    }
    expect(standIn.mindbody.isValid(token)).toBe(false)
  })

  it('revokes a renewed token that differs from the old one, as well as the old one', async () => {
    const a = await proxyWith({ store: memorySessionStore() })
    const { cookie, token } = await a.signIn()
    const held = gate()
    // A Mindbody that answers a renewal with a new token.
    standIn.use(
      http.post('*/public/:version/usertoken/renew', async () => {
        await held.wait()
        const fresh = await fetch(`${standIn.url}/public/v6/usertoken/issue`, {
          method: 'POST',
          headers: { SiteId: '-99', 'Content-Type': 'application/json' },
          body: JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' }),
        })
        return fresh
      }),
    )
    const renewing = a.renew(cookie)
    await held.reached
    await a.proxy.sessions.revoke({ siteId: -99, username: 'demo.staff' })
    held.release()
    await expectRevoked(await renewing)
    expect(standIn.mindbody.isValid(token)).toBe(false)
    expect(standIn.mindbody.validTokens()).toEqual([])
  })
})

describe('an activity report in flight across a revocation', () => {
  it('does not write the session back', async () => {
    const held = gate()
    const shared = memorySessionStore()
    // The store is slow to take the report's update: the revocation comes first.
    const slow: SessionStore = {
      ...shared,
      update: async (record) => (await held.wait(), shared.update(record)),
    }
    const a = await proxyWith({ store: slow, idleTimeoutMs: 15 * MINUTE })
    const { cookie, token } = await a.signIn()
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    const reporting = a.call('/mindbody/session/activity', cookie, { method: 'POST' })
    await held.reached
    expect(await a.proxy.sessions.revoke({ siteId: -99 })).toBe(1)
    held.release()

    await expectRevoked(await reporting)
    await expectRevoked(await a.call('/mindbody/session', cookie))
    expect(await a.proxy.sessions.list({ siteId: -99 })).toEqual([])
    expect(standIn.mindbody.isValid(token)).toBe(false)
  })
})

describe('a dead cookie replayed', () => {
  it('costs one upstream revoke in all, however often and on however many instances', async () => {
    const a = await proxyWith({ store: redisSessionStore(await redisClient()) })
    const b = await proxyWith({ store: redisSessionStore(await redisClient()) })
    const { cookie } = await a.signIn()
    expect(await a.proxy.sessions.revoke({ siteId: -99 })).toBe(1)
    const before = revokes()
    const replays = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).call('/mindbody/public/v6/staff/staff', cookie)),
    )
    for (const replay of replays) await expectRevoked(replay)
    const signOuts = await Promise.all(
      [a, b].map((p) => p.call(`${TOKEN_PATH}/revoke`, cookie, { method: 'DELETE' })),
    )
    expect(signOuts.map((r) => r.status)).toEqual([204, 204])
    expect(revokes() - before).toBe(1)
  })

  it('costs one upstream revoke without a store too, for a session that ended idle', async () => {
    const a = await proxyWith({ idleTimeoutMs: 15 * MINUTE })
    const { cookie, token } = await a.signIn()
    vi.setSystemTime(Date.now() + 16 * MINUTE)
    const before = revokes()
    for (let i = 0; i < 5; i++) {
      const replay = await a.call('/mindbody/session', cookie)
      expect(replay.status).toBe(401)
    }
    expect(revokes() - before).toBe(1)
    expect(standIn.mindbody.isValid(token)).toBe(false)
  })

  it('signs out once: a second sign-out with the same cookie sends no revoke', async () => {
    const a = await proxyWith({ store: memorySessionStore() })
    const { cookie } = await a.signIn()
    const before = revokes()
    expect((await a.call(`${TOKEN_PATH}/revoke`, cookie, { method: 'DELETE' })).status).toBe(200)
    expect((await a.call(`${TOKEN_PATH}/revoke`, cookie, { method: 'DELETE' })).status).toBe(204)
    expect(revokes() - before).toBe(1)
  })
})

describe('owners and admins, all User.Id 0', () => {
  it('never see or end each other’s sessions', async () => {
    const a = await proxyWith({ store: memorySessionStore() })
    const first = await a.signIn('demo.owner', 'demo-password')
    const firstAgain = await a.signIn('demo.owner', 'demo-password')
    const second = await a.signIn('second.owner', 'owner-password')
    const listed = async (cookie: string) =>
      ((await (await a.call('/mindbody/sessions', cookie)).json()) as { Sessions: Array<{ Id: string }> })
        .Sessions
    const firsts = await listed(first.cookie)
    const seconds = await listed(second.cookie)
    expect(firsts).toHaveLength(2)
    expect(seconds).toHaveLength(1)
    expect(firsts.map((s) => s.Id)).not.toContain(seconds[0]!.Id)

    const crossed = await a.call(`/mindbody/sessions/${seconds[0]!.Id}`, first.cookie, { method: 'DELETE' })
    expect(crossed.status).toBe(404)
    expect((await a.call('/mindbody/session', second.cookie)).status).toBe(200)

    // proxy.sessions by username: the same identity the sign-in made, whatever the case.
    const records = await a.proxy.sessions.list({ siteId: -99, username: 'DEMO.OWNER ' })
    expect(records).toHaveLength(2)
    expect(JSON.stringify(records)).not.toMatch(/demo\.owner|second\.owner|password/i)
    expect(await a.proxy.sessions.revoke({ siteId: -99, username: 'demo.owner' })).toBe(2)
    await expectRevoked(await a.call('/mindbody/session', firstAgain.cookie))
    expect((await a.call('/mindbody/session', second.cookie)).status).toBe(200)
  })

  it('refuses userId 0 in proxy.sessions with a clear MindbodyError', async () => {
    const a = await proxyWith({ store: memorySessionStore() })
    await a.signIn('demo.owner', 'demo-password')
    for (const call of [
      () => a.proxy.sessions.revoke({ siteId: -99, userId: 0 }),
      () => a.proxy.sessions.list({ siteId: -99, userId: 0 }),
    ]) {
      expect(call).toThrow(MindbodyError)
      expect(call).toThrow(/by sessionId, or by username/)
    }
    expect(await a.proxy.sessions.list({ siteId: -99 })).toHaveLength(1)
  })
})

describe('memorySessionStore', () => {
  it('is bounded: when full, a sign-in is refused with 503 and its token revoked; lapsed sessions make room', async () => {
    const a = await proxyWith({ store: memorySessionStore({ max: 2 }) })
    await a.signIn()
    await a.signIn()
    const refused = await a.call(`${TOKEN_PATH}/issue`, undefined, {
      method: 'POST',
      body: JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' }),
    })
    expect(refused.status).toBe(503)
    expect(refused.headers.get('Set-Cookie')).toBeNull()
    expect(standIn.mindbody.validTokens()).toHaveLength(2)

    // Past the sessions' own end (a day, as the stand-in's tokens last), they are swept.
    vi.setSystemTime(Date.now() + 25 * 60 * MINUTE)
    standIn.mindbody.reset()
    const after = await a.signIn()
    expect((await a.call('/mindbody/session', after.cookie)).status).toBe(200)
  })

  it('forgets lapsed records, so many expired sessions leave room for new ones', async () => {
    const store = memorySessionStore({ max: 1000 })
    const now = Date.now()
    const record = (id: number) => ({
      id: String(id),
      siteId: '-99',
      userId: 1,
      staff: 'x',
      signedInAt: now,
      activeAt: now,
      expiresAt: now + MINUTE,
    })
    for (let i = 0; i < 1000; i++) await store.create(record(i))
    await expect(store.create(record(1000))).rejects.toThrow(/full/)
    vi.setSystemTime(now + 2 * MINUTE)
    expect(await store.list('-99')).toEqual([])
    for (let i = 1000; i < 2000; i++) await store.create({ ...record(i), expiresAt: now + 3 * MINUTE })
    expect(await store.list('-99')).toHaveLength(1000)
  })
})
