import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { redisLimitStore, type MindbodyProxyOptions, type ProxyEvent } from '../../src/server'
import { pageCall, startProxy } from './startProxy'
import { withRedis } from './startRedis'
import { STAFF_LIST, startStandIn } from './standIn'

/**
 * The call meter over real sockets: exact counts of a known mix of calls made through two instances
 * that share one real redis-server; the budget's warning and refusal; and identical GETs of one
 * session in flight at once sent to Mindbody once.
 */
const TOKEN = '/mindbody/public/v6/usertoken'
const STAFF = '/mindbody/public/v6/staff/staff'
const credentials = (Username: string) => JSON.stringify({ Username, Password: 'demo-password' })
const today = new Date()

let standIn: Awaited<ReturnType<typeof startStandIn>>
const open: Array<{ close(): Promise<void> }> = []
beforeEach(async () => {
  standIn = await startStandIn()
  open.push(standIn)
})
afterEach(async () => void (await Promise.all(open.splice(0).map((o) => o.close()))))

async function proxyWith(options: Partial<MindbodyProxyOptions>) {
  const started = await startProxy(standIn.url, options)
  open.push(started)
  const call = pageCall(started.origin)
  const signIn = async (username: string) => {
    const response = await call(`${TOKEN}/issue`, undefined, { method: 'POST', body: credentials(username) })
    expect(response.status).toBe(200)
    return response.headers.getSetCookie()[0]!.split(';')[0]!
  }
  return { ...started, call, signIn }
}
const upstreamCalls = (ending: string) => standIn.seen.filter((r) => r.decoded.endsWith(ending)).length

describe('the call meter', () => {
  const redis = withRedis()

  it('counts every call of two instances sharing one Redis, by kind, route, staff member and day', async () => {
    const limitStore = redisLimitStore(redis.client)
    const a = await proxyWith({ limitStore, meter: true })
    const b = await proxyWith({ limitStore, meter: true })
    const ada = await a.signIn('demo.staff')
    const hedy = await b.signIn('demo.manager')
    for (let i = 0; i < 3; i++) expect((await a.call(STAFF, ada)).status).toBe(200)
    for (let i = 0; i < 2; i++) expect((await b.call(STAFF, hedy)).status).toBe(200)
    expect((await a.call(`${TOKEN}/renew`, ada, { method: 'POST' })).status).toBe(200)
    expect((await b.call(`${TOKEN}/revoke`, hedy, { method: 'DELETE' })).status).toBe(200)
    await a.signIn('demo.owner')
    expect(standIn.seen).toHaveLength(12)

    const day = today.toISOString().slice(0, 10)
    const expected = {
      siteId: '-99',
      from: day,
      to: day,
      calls: 12,
      app: 8,
      library: 4,
      rateLimited: 0,
      kinds: { 'sign-in': 3, permissions: 2, forward: 5, renew: 1, revoke: 1 },
      days: { [day]: 12 },
      routes: {
        '/public/v{n}/usertoken/issue': 3,
        '/public/v{n}/staff/staffpermissions': 2,
        '/public/v{n}/staff/staff': 5,
        '/public/v{n}/usertoken/renew': 1,
        '/public/v{n}/usertoken/revoke': 1,
      },
      staff: { '100000123': 5, '100000124': 4 },
    }
    expect(await a.proxy.usage({ siteId: -99, from: day, to: today })).toEqual(expected)
    expect(await b.proxy.usage({ siteId: '-99', from: today, to: day })).toEqual(expected)
    expect(await redis.client.keys('mindbody:limit:meter:*')).toEqual([`mindbody:limit:meter:-99:${day}`])
    await redis.client.flushall()
  })

  it('warns at the budget’s threshold and at its end, then refuses forwarded calls before Mindbody', async () => {
    const events: ProxyEvent[] = []
    const proxy = await proxyWith({
      meter: { budget: { calls: 4, warnAt: 0.5, refuse: true } },
      onEvent: (event) => void events.push(event),
    })
    const cookie = await proxy.signIn('demo.staff')
    expect((await proxy.call(STAFF, cookie)).status).toBe(200)
    expect((await proxy.call(STAFF, cookie)).status).toBe(200)
    const refused = await proxy.call(STAFF, cookie)
    expect(refused.status).toBe(429)
    expect((await refused.json()).Error.Code).toBe('BudgetExceeded')
    expect(upstreamCalls('/staff/staff')).toBe(2)
    expect((await proxy.call(`${TOKEN}/renew`, cookie, { method: 'POST' })).status).toBe(200)

    expect(events.map((e) => e.type)).toEqual([
      'budget-warning',
      'sign-in',
      'budget-reached',
      'refused',
      'renew',
    ])
    const period = `${today.toISOString().slice(0, 8)}01`
    expect(events[0]).toMatchObject({ siteId: '-99', calls: 2, budget: 4, periodStart: period })
    expect(events[2]).toMatchObject({ siteId: '-99', calls: 4, budget: 4, periodStart: period })
    expect(events[3]).toMatchObject({ check: 'budget', status: 429, userId: 100000123 })
    const usage = await proxy.proxy.usage({ siteId: -99, from: today, to: today })
    expect(usage).toMatchObject({ calls: 5, app: 3, library: 2 })
  })

  it('refuses a budget that cannot work, naming the field, and a store with no tallies', async () => {
    const errors: string[] = []
    const log = console.error
    console.error = (line: string) => void errors.push(line)
    try {
      for (const [meter, limitStore, named] of [
        [{ budget: { calls: 0 } }, undefined, 'Invalid meter.budget.calls'],
        [{ budget: { calls: 10, warnAt: 2 } }, undefined, 'Invalid meter.budget.warnAt'],
        [
          { budget: { calls: { '-99': 10 }, periodStartDay: 31 } },
          undefined,
          'Invalid meter.budget.periodStartDay',
        ],
        [true, { hit: async () => 1 }, 'Invalid meter: the limitStore has no tally'],
      ] as const) {
        const proxy = await proxyWith({ meter, limitStore })
        const answer = await proxy.call(STAFF)
        expect(answer.status).toBe(500)
        expect((await answer.json()).Error.Message).toContain(named)
        expect(() => proxy.proxy.usage({ siteId: -99, from: today, to: today })).toThrow(named)
      }
    } finally {
      console.error = log
    }
    expect(errors).toHaveLength(4)
    expect(standIn.seen).toEqual([])
  })

  it('counts nothing and holds no answer when its store stalls past the deadline', async () => {
    const stalled = new Promise<never>(() => {})
    const proxy = await proxyWith({
      storeTimeoutMs: 50,
      meter: true,
      limitStore: { hit: async () => 1, tally: () => stalled, tallies: () => stalled },
    })
    const cookie = await proxy.signIn('demo.staff')
    expect((await proxy.call(STAFF, cookie)).status).toBe(200)
    await expect(proxy.proxy.usage({ siteId: -99, from: today, to: today })).rejects.toThrow('did not answer')
  })
})

describe('the names the meter and the spans use', () => {
  it("are Mindbody's published routes, so a caller cannot multiply them: any other path is /public/v{n}/*", async () => {
    const proxy = await proxyWith({ meter: true, allow: () => true })
    const cookie = await proxy.signIn('demo.staff')
    const invented = Array.from({ length: 12 }, (_, i) => `/mindbody/public/v6/made${i}/up${i}x`)
    for (const path of [...invented, `${STAFF}?request.limit=1`, '/mindbody/public/v6/CLASS/Classes'])
      await proxy.call(path, cookie)
    const routes = (await proxy.proxy.usage({ siteId: -99, from: today, to: today })).routes
    expect(routes).toMatchObject({
      '/public/v{n}/*': 12,
      '/public/v{n}/staff/staff': 1,
      '/public/v{n}/class/classes': 1,
    })
    expect(Object.keys(routes).sort()).toEqual([
      '/public/v{n}/*',
      '/public/v{n}/class/classes',
      '/public/v{n}/staff/staff',
      '/public/v{n}/staff/staffpermissions',
      '/public/v{n}/usertoken/issue',
    ])
  })
})

describe('identical GETs of one session in flight at once (shareGets, on by default)', () => {
  /** Holds Mindbody's staff list until the proxy has taken `count` such requests, then answers. */
  function holdStaffList(server: Awaited<ReturnType<typeof startProxy>>['server'], count: number) {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let taken = 0
    // Each request reaches the proxy's shared call with no I/O of its own (its cookie is remembered),
    // so once the proxy has taken the last one and its microtasks have run, all of them wait for it.
    server.on(
      'request',
      (req) => req.url?.includes('/staff/staff') && ++taken === count && setImmediate(release),
    )
    standIn.use(http.get('*/public/v6/staff/staff', async () => (await gate, HttpResponse.json(STAFF_LIST))))
  }

  it('sends five of one session to Mindbody once, and counts it once', async () => {
    const proxy = await proxyWith({ meter: true }) // shared by default
    const cookie = await proxy.signIn('demo.staff')
    await proxy.call('/mindbody/session', cookie)
    holdStaffList(proxy.server, 5)
    const answers = await Promise.all(Array.from({ length: 5 }, () => proxy.call(STAFF, cookie)))
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    for (const answer of answers) expect(await answer.json()).toEqual(STAFF_LIST)
    expect(upstreamCalls('/staff/staff')).toBe(1)
    const usage = await proxy.proxy.usage({ siteId: -99, from: today, to: today })
    expect(usage.kinds.forward).toBe(1)
  })

  it('never shares between two sessions: five each reach Mindbody twice', async () => {
    const proxy = await proxyWith({ shareGets: true })
    const ada = await proxy.signIn('demo.staff')
    const again = await proxy.signIn('demo.staff')
    for (const cookie of [ada, again]) await proxy.call('/mindbody/session', cookie)
    holdStaffList(proxy.server, 10)
    const answers = await Promise.all(
      [ada, again].flatMap((cookie) => Array.from({ length: 5 }, () => proxy.call(STAFF, cookie))),
    )
    expect(answers.every((r) => r.status === 200)).toBe(true)
    expect(upstreamCalls('/staff/staff')).toBe(2)
    const tokens = standIn.seen
      .filter((r) => r.decoded.endsWith('/staff/staff'))
      .map((r) => r.headers.get('Authorization'))
    expect(new Set(tokens).size).toBe(2)
  })

  it('with shareGets: false, each GET goes out', async () => {
    const proxy = await proxyWith({ shareGets: false })
    const cookie = await proxy.signIn('demo.staff')
    await proxy.call('/mindbody/session', cookie)
    holdStaffList(proxy.server, 3)
    await Promise.all(Array.from({ length: 3 }, () => proxy.call(STAFF, cookie)))
    expect(upstreamCalls('/staff/staff')).toBe(3)
  })
})
