import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MindbodyProxyOptions, OpenTelemetryApi, ProxyEvent } from '../../src/server'
import { PAGE_ORIGIN as APP, pageRequest, socketRequest, unchunked } from './rawSocket'
import { API_KEY, startProxy } from './startProxy'
import { startStandIn } from './standIn'
import { answerPermissions, credentials, GROUPS, USERS } from './staffGroups'

/**
 * An adversary's pass over staff permissions (#29) and observability (#30), over real sockets: a
 * mapped route spelled every way a server may read it alike, forged reads of the own-permissions
 * route, shared GETs across sessions, a hostile `onEvent` and OpenTelemetry, and a meter an insider
 * tries to grow. Every test also checks that nothing was logged.
 */
const ISSUE = '/mindbody/public/v6/usertoken/issue'
const REVOKE = '/mindbody/public/v6/usertoken/revoke'
const STAFF_LIST = '/mindbody/public/v6/staff/staff'
const OWN = 100000123
const RULES = { 'POST /sale/returnsale': 'RefundSales' } as const

let standIn: Awaited<ReturnType<typeof startStandIn>>
const open: Array<{ close(): Promise<void> }> = []
let logged: Array<ReturnType<typeof vi.spyOn>> = []
let unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)

beforeEach(async () => {
  standIn = await startStandIn({ users: USERS })
  open.push(standIn)
  answerPermissions(standIn)
  standIn.use(http.post('*/public/v6/sale/returnsale', () => HttpResponse.json({ Refunded: true })))
  logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level))
  unhandled = []
  process.on('unhandledRejection', onUnhandled)
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()))
  process.off('unhandledRejection', onUnhandled)
  for (const spy of logged) expect(spy).not.toHaveBeenCalled()
  expect(unhandled).toEqual([])
  vi.restoreAllMocks()
})

async function proxyWith(options: Partial<MindbodyProxyOptions> = {}) {
  const started = await startProxy(standIn.url, { origins: [APP], ...options }, { alone: true })
  open.push({ close: () => (started.server.closeAllConnections(), started.close()) })
  const signIn = async (username = 'demo.staff') => {
    const answer = await pageRequest(started.origin, 'POST', ISSUE, [], credentials(username))
    expect(answer.status).toBe(200)
    return answer.headers.find(([n]) => n === 'set-cookie')![1].split(';')[0]!
  }
  const get = (path: string, cookie: string, extra: string[] = []) =>
    pageRequest(started.origin, 'GET', path, [`Cookie: ${cookie}`, ...extra])
  return { ...started, signIn, get }
}
/** Whether any request that reached Mindbody could be read, by a server that decodes, as a refund. */
const refundReached = () => standIn.seen.some((r) => /returnsale/i.test(r.decoded.replace(/[\s.]+$/, '')))

describe('a mapped route, spelled every way', () => {
  const spellings = [
    '/public/v6/sale/returnsale',
    '/public/v6/Sale/ReturnSale',
    '/public/V6/sale/RETURNSALE',
    '/public/v06/sale/returnsale',
    '/public/v6/sale/returnsale.',
    '/public/v6/sale/returnsale%2e',
    '/public/v6/sale/returnsale%2E%2E',
    '/public/v6/sale/returnsale%20',
    '/public/v6/sale/returnsale%09',
    '/public/v6/sale/returnsale%20.',
    '/public/v6/sale/returnsale%00',
    '/public/v6/sale/returnsale%3b',
    '/public/v6/sale/returnsale%3Bx=1',
    '/public/v6/sale/returnsal%65',
    '/public/v6/%73ale/returnsale',
    '/public/v6/sale/returnsale?x=1',
    '/public/v6/sale/returnsale;x=1',
    '/public/v6/sale/returnsale/',
    '/public/v6/sale//returnsale',
    '/public/v6/x/../sale/returnsale',
    '/public/v6/sale/./returnsale',
    '/public/v6/sale%2freturnsale',
    '/public/v6/sale/returnsale%C0%AE',
    '/public/v6/sale/returnsale%EF%BC%8E',
    '/public/v6/sale/return%0Asale',
  ]
  it.each(spellings)('POST %s by a front desk never reaches Mindbody', async (spelling) => {
    const proxy = await proxyWith({ permissions: RULES })
    const cookie = await proxy.signIn()
    const body = JSON.stringify({ SaleId: 1 })
    const answer = await pageRequest(
      proxy.origin,
      'POST',
      `/mindbody${spelling}`,
      [`Cookie: ${cookie}`],
      body,
    )
    expect([400, 403, 404], spelling).toContain(answer.status)
    expect(refundReached()).toBe(false)
  })

  it.each([['X-HTTP-Method-Override: POST'], ['X-HTTP-Method: POST'], ['X-Method-Override: POST']])(
    'a GET with %s is a GET to Mindbody, the override never forwarded',
    async (override) => {
      const proxy = await proxyWith({ permissions: RULES })
      const cookie = await proxy.signIn()
      const body = JSON.stringify({ SaleId: 1 })
      await pageRequest(
        proxy.origin,
        'GET',
        '/mindbody/public/v6/sale/returnsale',
        [`Cookie: ${cookie}`, override],
        body,
      )
      for (const seen of standIn.seen) {
        for (const name of ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'])
          expect(seen.headers.get(name)).toBeNull()
        if (/returnsale/i.test(seen.decoded)) expect([seen.method, seen.body]).toEqual(['GET', ''])
      }
    },
  )

  it('a refund pipelined behind an allowed GET on one socket is refused all the same', async () => {
    const proxy = await proxyWith({ permissions: RULES })
    const cookie = await proxy.signIn()
    const body = JSON.stringify({ SaleId: 1 })
    const head = (method: string, path: string, extra: string[]) =>
      [
        `${method} ${path} HTTP/1.1`,
        'Host: portal.test',
        `Origin: ${APP}`,
        'X-Mindbody-Proxy: 1',
        'SiteId: -99',
        `Cookie: ${cookie}`,
        ...extra,
      ].join('\r\n')
    const first = `${head('GET', STAFF_LIST, [])}\r\n\r\n`
    const second = head('POST', '/mindbody/public/v6/sale/returnsale', ['Content-Type: application/json'])
    const answer = await socketRequest(proxy.origin, [`${first}${second}`], body)
    expect(answer.text).toContain('PermissionDenied')
    expect(refundReached()).toBe(false)
  })
})

describe('the own-permissions route, forged', () => {
  const forged = [
    `request.staffId=${OWN}&request.staffId=100000456`,
    `request.staffId=100000456&request.staffId=${OWN}`,
    `request.staffId=${OWN}&extra=1`,
    `request.staffId=${OWN}%00`,
    `request.staffId=-${OWN}`,
    `request.staffId=${OWN}.0`,
    `request.staffId=+${OWN}`,
    `request.staffId=${OWN}0000000000`,
    `request.staffId=1e999`,
    'request.staffId=100000456',
    `request.staffId[]=${OWN}`,
  ]
  it.each(forged)('?%s is never answered from the cookie', async (query) => {
    const proxy = await proxyWith()
    const cookie = await proxy.signIn()
    const before = standIn.seen.length
    await proxy.get(`/mindbody/public/v6/staff/staffpermissions?${query}`, cookie)
    // Forwarded to Mindbody, which decides with the staff member's own token: never the cookie's group.
    expect(standIn.seen.length).toBe(before + 1)
    expect(standIn.seen.at(-1)!.path).toBe('/public/v6/staff/staffpermissions')
  })

  it('?request.StaffId=<own id>, in another case, is the own group from the cookie', async () => {
    const proxy = await proxyWith()
    const cookie = await proxy.signIn()
    const before = standIn.seen.length
    const answer = await proxy.get(
      `/mindbody/public/v6/staff/staffpermissions?REQUEST.STAFFID=${OWN}`,
      cookie,
    )
    expect(JSON.parse(unchunked(answer.body)).UserGroup.PermissionGroupName).toBe(
      GROUPS[OWN]!.PermissionGroupName,
    )
    expect(standIn.seen.length).toBe(before)
  })
})

describe('shared GETs', () => {
  it('two sessions of one staff member, in flight at once, each reach Mindbody', async () => {
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    standIn.use(http.get('*/public/v6/staff/staff', async () => (await held, HttpResponse.json({ Mine: 1 }))))
    const proxy = await proxyWith()
    const [a, b] = [await proxy.signIn(), await proxy.signIn()]
    const before = standIn.seen.length
    const answers = [proxy.get(STAFF_LIST, a), proxy.get(STAFF_LIST, b), proxy.get(STAFF_LIST, a)]
    while (standIn.seen.length < before + 2) await new Promise((resolve) => setTimeout(resolve, 5))
    release()
    expect((await Promise.all(answers)).map((answer) => answer.status)).toEqual([200, 200, 200])
    const tokens = standIn.seen.slice(before).map((r) => r.headers.get('Authorization'))
    expect(new Set(tokens).size).toBe(2)
  })
})

describe('a hostile onEvent', () => {
  it.each([
    ['never settles', () => new Promise<void>(() => {})],
    [
      'throws',
      () => {
        throw new Error('onEvent failed')
      },
    ],
    ['rejects', () => Promise.reject(new Error('onEvent failed'))],
  ])('that %s never holds or changes an answer', async (_, onEvent) => {
    const proxy = await proxyWith({ onEvent, storeTimeoutMs: 50 })
    const cookie = await proxy.signIn()
    expect((await proxy.get(STAFF_LIST, cookie)).status).toBe(200)
    expect((await pageRequest(proxy.origin, 'GET', '/mindbody/x/../y')).status).toBe(400)
    expect((await pageRequest(proxy.origin, 'DELETE', REVOKE, [`Cookie: ${cookie}`])).status).toBe(200)
  })

  it('events are bounded and hold no secret, whatever the attacker sends', async () => {
    const events: ProxyEvent[] = []
    const proxy = await proxyWith({ onEvent: (event) => void events.push(event) })
    const cookie = await proxy.signIn()
    const huge = 'A'.repeat(3_000)
    await pageRequest(proxy.origin, 'GET', `/mindbody/public/v6/${huge}/x`, [`User-Agent: ${huge}`])
    await pageRequest(proxy.origin, 'GET', `/mindbody/${huge}%2f`, [`User-Agent: ${huge}`])
    await pageRequest(
      proxy.origin,
      'POST',
      ISSUE,
      [`User-Agent: ${huge}`],
      JSON.stringify({ Username: huge, Password: 'demo-password' }),
    )
    await pageRequest(proxy.origin, 'DELETE', REVOKE, [`Cookie: ${cookie}`, `Authorization: ${huge}`])
    // The `%2f` path is refused by `toNodeHandler` before the proxy sees it: no event (open, see SECURITY.md).
    expect(events.map((e) => e.type)).toEqual(['sign-in', 'refused', 'sign-in-failed', 'sign-out'])
    const text = JSON.stringify(events)
    for (const secret of [
      'demo-password',
      API_KEY,
      cookie.slice(cookie.indexOf('=') + 1),
      ...standIn.mindbody.validTokens(),
    ])
      expect(text).not.toContain(secret)
    for (const event of events) expect(JSON.stringify(event).length).toBeLessThan(1_500)
  })
})

/** An `@opentelemetry/api` whose every method, on every object it hands out, throws. */
function hostileOpenTelemetry(): OpenTelemetryApi {
  const fail = () => {
    throw new Error('hostile OpenTelemetry')
  }
  const span = { setAttribute: fail, setStatus: fail, updateName: fail, end: fail }
  return {
    trace: { getTracer: () => ({ startSpan: () => span }), setSpan: fail },
    context: { active: () => ({}) },
    metrics: { getMeter: () => ({ createCounter: () => ({ add: fail }) }) },
  }
}

describe('a hostile openTelemetry', () => {
  it.each([
    ['whose spans and counters throw', hostileOpenTelemetry()],
    [
      'whose tracer cannot start a span',
      {
        ...hostileOpenTelemetry(),
        trace: {
          getTracer: () => ({
            startSpan: () => {
              throw new Error('no')
            },
          }),
          setSpan: () => ({}),
        },
      },
    ],
    [
      'whose context throws',
      {
        ...hostileOpenTelemetry(),
        context: {
          active: () => {
            throw new Error('no')
          },
        },
      },
    ],
  ])('%s never changes an answer, nor leaves a sign-in behind', async (_, openTelemetry) => {
    const proxy = await proxyWith({ openTelemetry: openTelemetry as OpenTelemetryApi })
    const cookie = await proxy.signIn()
    expect((await proxy.get(STAFF_LIST, cookie)).status).toBe(200)
    expect((await proxy.get('/mindbody/public/v6/nothing/here', cookie)).status).toBe(404)
    expect((await pageRequest(proxy.origin, 'POST', ISSUE, [], credentials('nobody'))).status).toBe(403)
    expect((await pageRequest(proxy.origin, 'GET', '/mindbody/x/../y')).status).toBe(400)
    expect((await pageRequest(proxy.origin, 'DELETE', REVOKE, [`Cookie: ${cookie}`])).status).toBe(200)
    expect(standIn.mindbody.validTokens()).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 20))
  })
})

describe('a hostile answer to the permissions read at sign-in', () => {
  const never = () =>
    new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"UserGroup":')) })
  const answers: Array<[string, () => Response]> = [
    ['204', () => new HttpResponse(null, { status: 204 })],
    ['304', () => new HttpResponse(null, { status: 304 })],
    [
      '302 elsewhere',
      () => new HttpResponse(null, { status: 302, headers: { Location: 'https://evil.example/' } }),
    ],
    ['HTML at 200', () => HttpResponse.html('<h1>Maintenance</h1>')],
    ['500', () => HttpResponse.json({ Error: { Code: 'InternalError' } }, { status: 500 })],
    [
      'a body that trickles and never ends',
      () => new HttpResponse(never(), { headers: { 'Content-Type': 'application/json' } }),
    ],
  ]

  it.each(answers)(
    '%s: the sign-in holds with permissions unknown, and a mapped refund is still refused',
    async (_name, answer) => {
      standIn.use(http.get('*/public/v6/staff/staffpermissions', answer))
      const proxy = await proxyWith({ permissions: RULES, upstreamTimeoutMs: 300 })
      const cookie = await proxy.signIn()
      const refund = await pageRequest(
        proxy.origin,
        'POST',
        '/mindbody/public/v6/sale/returnsale',
        [`Cookie: ${cookie}`],
        '{}',
      )
      expect(refund.status).toBe(403)
      expect(JSON.parse(unchunked(refund.body)).Error).toMatchObject({
        Code: 'PermissionDenied',
        Permission: 'RefundSales',
      })
      expect(refundReached()).toBe(false)
      expect(standIn.seen.some((r) => r.decoded.includes('evil.example'))).toBe(false)
    },
  )
})
