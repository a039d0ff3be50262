import { afterEach, describe, expect, it, vi } from 'vitest'
import { memorySessionStore, type ProxyEvent } from '../../src/server'
import { startOpenTelemetry } from './otelHarness'
import { API_KEY, SECRET, startProxy } from './startProxy'
import { withRedis } from './startRedis'
import { startStandIn } from './standIn'

/**
 * A scripted day at the front desk over real sockets, with events, spans, counters and the meter all
 * on: the exact events, in order, each written as the documented recipes write them (a log line, and
 * a Redis stream); then every event, span, attribute, counter and log line searched for a secret.
 */
const TOKEN = '/mindbody/public/v6/usertoken'
const PASSWORD = 'demo-password'
const WRONG = 'not-the-password-7f3e'
const AGENT = 'scripted-day/1.0'

const redis = withRedis()
afterEach(() => vi.restoreAllMocks())

describe('security events over a scripted day', () => {
  it('are these, in this order, with who, where and from where, and hold no secret anywhere', async () => {
    const otel = startOpenTelemetry()
    const standIn = await startStandIn()
    const events: ProxyEvent[] = []
    const logged: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line))
    const errors = vi
      .spyOn(console, 'error')
      .mockImplementation((...args) => void logged.push(args.join(' ')))
    const proxy = await startProxy(standIn.url, {
      session: { store: memorySessionStore() },
      signInLimit: { max: 2, windowMs: 60_000 },
      clientIp: (_request, socket) => socket?.address,
      meter: true,
      openTelemetry: otel.openTelemetry,
      // The recipes of docs/production.md: a log line per event, and a Redis stream.
      onEvent: async (event) => {
        events.push(event)
        console.log(JSON.stringify(event))
        await redis.client.xadd(
          'mindbody:events',
          'MAXLEN',
          '~',
          '100000',
          '*',
          'event',
          JSON.stringify(event),
        )
      },
    })
    const cookies: string[] = []
    const call = async (
      path: string,
      init: { method?: string; body?: string; cookie?: string; csrf?: boolean } = {},
    ) => {
      const response = await fetch(proxy.origin + path, {
        method: init.method ?? 'GET',
        body: init.body,
        headers: {
          ...(init.csrf !== false && { 'X-Mindbody-Proxy': '1' }),
          Origin: proxy.origin,
          SiteId: '-99',
          'User-Agent': AGENT,
          ...(init.body && { 'Content-Type': 'application/json' }),
          ...(init.cookie && { Cookie: init.cookie }),
        },
      })
      for (const line of response.headers.getSetCookie()) cookies.push(line.split(';')[0]!.split('=')[1]!)
      await response.arrayBuffer()
      return response
    }
    const signIn = (Username: string, Password: string) =>
      call(`${TOKEN}/issue`, { method: 'POST', body: JSON.stringify({ Username, Password }) })
    const cookieOf = (response: Response) => response.headers.getSetCookie()[0]!.split(';')[0]!

    const first = await signIn('demo.staff', PASSWORD)
    expect(first.status).toBe(200)
    const cookie = cookieOf(first)
    expect((await signIn('demo.manager', WRONG)).status).toBe(403)
    expect((await signIn('demo.manager', WRONG)).status).toBe(403)
    expect((await signIn('demo.manager', WRONG)).status).toBe(429)
    const renewed = await call(`${TOKEN}/renew`, { method: 'POST', cookie })
    expect(renewed.status).toBe(200)
    const live = cookieOf(renewed)
    expect((await call('/mindbody/public/v6/staff/staff', { cookie: live })).status).toBe(200)
    expect((await call(`${TOKEN}/renew`, { method: 'POST', cookie: live, csrf: false })).status).toBe(403)
    expect((await call('/mindbody/public/v9/staff/staff', { cookie: live })).status).toBe(404)
    expect(await proxy.proxy.sessions.revoke({ siteId: -99, userId: 100000123 })).toBe(1)
    expect((await call('/mindbody/public/v6/staff/staff', { cookie: live })).status).toBe(401)
    const again = await signIn('demo.staff', PASSWORD)
    expect((await call(`${TOKEN}/revoke`, { method: 'DELETE', cookie: cookieOf(again) })).status).toBe(200)

    expect(events.map((e) => e.type)).toEqual([
      'sign-in',
      'sign-in-failed',
      'sign-in-failed',
      'sign-in-limited',
      'renew',
      'refused',
      'refused',
      'session-ended',
      'sign-in',
      'sign-out',
    ])
    const who = {
      siteId: '-99',
      userId: 100000123,
      userName: 'Ada Lovelace',
      clientAddress: '127.0.0.1',
      userAgent: AGENT,
    }
    const session = events[0]!.sessionId
    expect(session).toMatch(/^[0-9a-f]{32}$/)
    expect(events[0]).toMatchObject({ ...who, sessionId: session, username: 'demo.staff' })
    expect(events[1]).toMatchObject({ username: 'demo.manager', status: 403, userId: null, sessionId: null })
    expect(events[1]).toMatchObject({ code: 'DeniedAccess', problem: 'wrong-credentials' })
    expect(events[3]).toMatchObject({
      username: 'demo.manager',
      limit: 'username',
      clientAddress: '127.0.0.1',
    })
    expect(events[4]).toMatchObject({ ...who, sessionId: session })
    expect(events[5]).toMatchObject({
      siteId: '-99',
      userId: null,
      sessionId: null,
      check: 'csrf',
      status: 403,
      method: 'POST',
      route: '/mindbody/public/v{n}/usertoken/renew',
    })
    expect(events[6]).toMatchObject({
      ...who,
      check: 'allow',
      status: 404,
      method: 'GET',
      route: '/mindbody/*',
    })
    expect(events[7]).toMatchObject({ ...who, sessionId: session, reason: 'revoked' })
    expect(events[8]!.sessionId).not.toBe(session)
    expect(events[9]).toMatchObject({ ...who, sessionId: events[8]!.sessionId })
    for (const event of events) expect(Date.parse(event.at)).toBeGreaterThan(0)

    // The recipes wrote each event once: a log line each, and the same in the Redis stream.
    expect(logged.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line))).toEqual(events)
    const stream = (await redis.client.xrange('mindbody:events', '-', '+')) as Array<[string, string[]]>
    expect(stream.map(([, fields]) => JSON.parse(fields[1]!))).toEqual(events)

    const tokens = new Set(standIn.seen.map((r) => r.headers.get('Authorization')).filter(Boolean))
    expect(tokens.size).toBeGreaterThanOrEqual(2)
    const secrets = [PASSWORD, WRONG, API_KEY, SECRET, ...tokens, ...cookies.filter(Boolean)]
    expect(cookies.filter(Boolean).length).toBeGreaterThanOrEqual(3)
    const spans = otel
      .spans()
      .map(({ name, attributes, events: notes, status }) => ({ name, attributes, notes, status }))
    expect(spans.length).toBeGreaterThan(10)
    const usage = await proxy.proxy.usage({ siteId: -99, from: new Date(), to: new Date() })
    const haystack = JSON.stringify([events, stream, logged, spans, await otel.counters(), usage])
    for (const secret of secrets) expect(haystack).not.toContain(secret!)
    log.mockRestore()
    errors.mockRestore()
    await Promise.all([proxy.close(), standIn.close(), otel.stop()])
  })
})
