import { createServer as createNetServer, type Server as NetServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { http, HttpResponse } from 'msw'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PAGE_ORIGIN as APP, pageRequest, socketRequest, unchunked } from './rawSocket'
import { memorySessionStore } from '../../src/server'
import { startProxy, UPSTREAM_CLIENTS } from './startProxy'
import { startStandIn } from './standIn'

/**
 * The attack classes of the threat model, each over a raw socket in front of a stand-in that decodes
 * paths as RFC 3986 lets a server: each asserts the status, and what reached upstream.
 */
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })
const WRONG = (username = 'demo.staff') => JSON.stringify({ Username: username, Password: 'wrong' })
const TOKENS = '/public/v6/usertoken'

let standIn: Awaited<ReturnType<typeof startStandIn>>
let proxy: Awaited<ReturnType<typeof startProxy>>
let logged: ReturnType<typeof vi.spyOn>[] = []
beforeEach(async () => {
  standIn = await startStandIn()
  proxy = await startProxy(standIn.url, {
    origins: [APP],
    allowAnonymous: (method, path) => method === 'GET' && path === '/public/v6/site/sites',
    clientIp: (_request, client) => client?.address,
  })
  logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level))
})
afterEach(async () => {
  for (const spy of logged) expect(spy).not.toHaveBeenCalled()
  vi.restoreAllMocks()
  await proxy.close()
  await standIn.close()
})

const send = (method: string, path: string, extra: string[] = [], body = '') =>
  pageRequest(proxy.origin, method, path, extra, body)
const setCookie = (answer: { headers: Array<[string, string]> }) =>
  answer.headers.find(([name]) => name === 'set-cookie')?.[1] ?? ''
const signIn = async () => setCookie(await send('POST', `/mindbody${TOKENS}/issue`, [], STAFF)).split(';')[0]!
const upstreamCalls = () => standIn.seen.length

describe('1. token routes hidden by percent-encoding', () => {
  it('takes an encoded renew as the renew route: sealed, and no AccessToken reaches the page', async () => {
    const cookie = await signIn()
    const answer = await send('POST', `/mindbody/public/v6/%75sertoken/renew`, [`Cookie: ${cookie}`])
    expect(answer.status).toBe(200)
    expect(answer.body).not.toMatch(/AccessToken/)
    for (const token of standIn.mindbody.validTokens()) expect(answer.text).not.toContain(token)
    expect(standIn.seen.at(-1)).toMatchObject({ method: 'POST', path: `${TOKENS}/renew` })
  })

  it('counts an encoded issue against the sign-in limit, and seals what it returns', async () => {
    for (let i = 0; i < 5; i++) await send('POST', `/mindbody/public/v6/user%74oken/%69ssue`, [], WRONG())
    const before = upstreamCalls()
    const sixth = await send('POST', `/mindbody/public/v6/%55serToken/issue`, [], WRONG())
    expect(sixth.status).toBe(429)
    expect(upstreamCalls()).toBe(before)
  })

  it('never forwards a decoded usertoken path as an ordinary call', async () => {
    const cookie = await signIn()
    const before = upstreamCalls()
    const answer = await send('GET', `/mindbody/public/v6/%75sertoken/anything`, [`Cookie: ${cookie}`])
    expect(answer.status).toBe(404)
    expect(upstreamCalls()).toBe(before)
  })
})

describe('2. paths the checks used to miss', () => {
  it('leaves a path outside the base path as sent to the rest of the app, whatever it normalises to', async () => {
    const cookie = await signIn()
    const before = upstreamCalls()
    const answer = await send('GET', '/x/../mindbody/public/v6/staff/staff', [`Cookie: ${cookie}`])
    expect(answer.body).toContain('the rest of the app')
    expect(upstreamCalls()).toBe(before)
  })

  describe('with no rest of the app (no next)', () => {
    let alone: Awaited<ReturnType<typeof startProxy>>
    beforeEach(async () => {
      alone = await startProxy(standIn.url, { origins: [APP] }, { alone: true })
    })
    afterEach(() => alone.close())

    it.each([
      '/x/../mindbody/public/v6/staff/staff',
      '/x/%2e%2e/mindbody/public/v6/staff/staff',
      '/x/%2E%2E/mindbody/public/v6/staff/staff',
      '/x/.%2e/mindbody/public/v6/staff/staff',
      '/../mindbody/public/v6/staff/staff',
      '/./mindbody/public/v6/staff/staff',
      '/%2e/mindbody/public/v6/staff/staff',
      '/x\\..\\mindbody/public/v6/staff/staff',
    ])('answers %s, outside the base path as sent, with 404 and nothing sent upstream', async (path) => {
      const cookie = await signIn()
      const sendAlone = (target: string) => pageRequest(alone.origin, 'GET', target, [`Cookie: ${cookie}`])
      // The cookie is good there: the canonical path is forwarded.
      expect((await sendAlone('/mindbody/public/v6/staff/staff')).status).toBe(200)
      const before = upstreamCalls()
      const answer = await sendAlone(path)
      expect(answer.status).toBe(404)
      expect(JSON.parse(unchunked(answer.body))).toEqual({
        Error: { Message: 'Not found.', Code: 'NotFound' },
      })
      expect(upstreamCalls()).toBe(before)
    })
  })

  it.each([
    ['/mindbody/public/%2e%2e/v6/staff/staff', 400],
    ['/mindbody/public/v6/%252e%252e/staff', 400],
    ['/mindbody/public%252fv6/staff/staff', 400],
    ['/mindbody/public/v6/..;/staff/staff', 400],
    ['/mindbody/public/v6/x;y/staff', 400],
    ['/mindbody/public/v6/%c0%ae%c0%ae/staff', 400],
    ['/mindbody/public/v6/%u002e%u002e/staff', 400],
    ['/mindbody/public/v6/%%37%35sertoken/renew', 400],
    ['/mindbody/public/v6/staff/staff/', 400],
  ])('%s answers %i with nothing sent upstream', async (path, status) => {
    const cookie = await signIn()
    const before = upstreamCalls()
    expect((await send('GET', path, [`Cookie: ${cookie}`])).status).toBe(status)
    expect(upstreamCalls()).toBe(before)
  })

  it('forwards exactly the canonical path it checked', async () => {
    const cookie = await signIn()
    await send('GET', `/mindbody/public/v6/%73taff/staff?limit=5`, [`Cookie: ${cookie}`])
    expect(standIn.seen.at(-1)).toMatchObject({
      path: '/public/v6/staff/staff',
      decoded: '/public/v6/staff/staff',
    })
  })
})

describe('3. trusted origins, not Host', () => {
  it('refuses a DNS-rebinding page whose Host and Origin agree but are not listed', async () => {
    const answer = await socketRequest(
      proxy.origin,
      [
        `POST /mindbody${TOKENS}/issue HTTP/1.1`,
        'Host: evil.test',
        'Origin: http://evil.test',
        'X-Mindbody-Proxy: 1',
        'SiteId: -99',
        'Content-Type: application/json',
      ],
      STAFF,
    )
    expect(answer.status).toBe(403)
    expect(upstreamCalls()).toBe(0)
  })

  it.each(['evil.test/x', 'a b', 'portal.test:99999999', ''])('answers Host %j with 400', async (host) => {
    const answer = await socketRequest(proxy.origin, [
      `GET /mindbody/public/v6/site/sites HTTP/1.1`,
      `Host: ${host}`,
      'SiteId: -99',
    ])
    expect(answer.status).toBe(400)
    expect(upstreamCalls()).toBe(0)
  })
})

describe('4. cookie tossing', () => {
  it.each([
    [
      'two values in one Cookie header',
      (cookie: string) => [`Cookie: ${cookie}; ${cookie.replace(/=.*/, '=planted')}`],
    ],
    ['two Cookie headers', (cookie: string) => [`Cookie: mindbody-session.-99=planted`, `Cookie: ${cookie}`]],
  ])('%s: 401, cleared, nothing sent', async (_name, cookies) => {
    const cookie = await signIn()
    const before = upstreamCalls()
    const answer = await send('GET', '/mindbody/public/v6/staff/staff', cookies(cookie))
    expect(answer.status).toBe(401)
    expect(setCookie(answer)).toMatch(/Max-Age=0/)
    expect(upstreamCalls()).toBe(before)
  })
})

describe('5. usernames that dodge the limit', () => {
  it('counts fullwidth and other compatibility forms as one username, and sends it as typed', async () => {
    for (const username of [
      'demo.staff',
      'ＤＥＭＯ.staff',
      'ｄｅｍｏ．ｓｔａｆｆ',
      ' Demo.Staff ',
      'demo.ｓtaff',
    ])
      await send('POST', `/mindbody${TOKENS}/issue`, [], WRONG(username))
    expect(JSON.parse(standIn.seen.at(-1)!.body).Username).toBe('demo.ｓtaff')
    const before = upstreamCalls()
    expect((await send('POST', `/mindbody${TOKENS}/issue`, [], WRONG('ｄemo.staff'))).status).toBe(429)
    expect(upstreamCalls()).toBe(before)
  })
})

describe('6. a clientIp that cannot be forged', () => {
  it("limits by the socket's address whatever X-Forwarded-For says", async () => {
    for (let i = 0; i < 20; i++)
      await send('POST', `/mindbody${TOKENS}/issue`, [`X-Forwarded-For: 10.0.0.${i}`], WRONG(`user${i}`))
    const before = upstreamCalls()
    const answer = await send(
      'POST',
      `/mindbody${TOKENS}/issue`,
      ['X-Forwarded-For: 10.9.9.9'],
      WRONG('another'),
    )
    expect(answer.status).toBe(429)
    expect(upstreamCalls()).toBe(before)
  })
})

/** An upstream that answers every request with `status` and `headers`, written by hand. */
async function rawUpstream(status: number, headers: string[] = []) {
  const server: NetServer = createNetServer((socket) => {
    socket.once('data', () =>
      socket.end(`HTTP/1.1 ${status} Whatever\r\n${[...headers, 'Content-Length: 0'].join('\r\n')}\r\n\r\n`),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('7. every answer is well formed, and nothing is logged', () => {
  it('passes an upstream 204 to revoke on as a 204 with the cookie cleared', async () => {
    const cookie = await signIn()
    standIn.use(http.delete('*/usertoken/revoke', () => new HttpResponse(null, { status: 204 })))
    const answer = await send('DELETE', `/mindbody${TOKENS}/revoke`, [`Cookie: ${cookie}`])
    expect(answer.status).toBe(204)
    expect(setCookie(answer)).toMatch(/Max-Age=0/)
  })

  it.each([
    [304, 304],
    [600, 502],
    [999, 502],
    [307, 502],
  ])('answers an upstream %i with %i', async (upstreamStatus, status) => {
    const upstream = await rawUpstream(upstreamStatus, ['Location: http://evil.example/'])
    const other = await startProxy(upstream.url, { origins: [APP], allowAnonymous: () => true })
    try {
      const answer = await socketRequest(other.origin, [
        'GET /mindbody/public/v6/site/sites HTTP/1.1',
        'Host: portal.test',
        'SiteId: -99',
      ])
      expect(answer.status).toBe(status)
      expect(answer.headers.map(([name]) => name)).not.toContain('location')
    } finally {
      await other.close()
      await upstream.close()
    }
  })

  it.each(['TRACE', 'PROPFIND', 'PURGE'])('answers %s with 405', async (method) => {
    expect((await send(method, '/mindbody/public/v6/site/sites')).status).toBe(405)
    expect(upstreamCalls()).toBe(0)
  })
})

describe('8. what forwarding passes on', () => {
  it('drops CORS grants, Refresh and Location from a forwarded answer', async () => {
    const cookie = await signIn()
    standIn.use(
      http.get('*/public/v6/staff/staff', () =>
        HttpResponse.json(
          { StaffMembers: [] },
          {
            headers: {
              'Access-Control-Allow-Origin': '*',
              'Access-Control-Allow-Credentials': 'true',
              Refresh: '0; url=http://evil.example/',
              Location: 'http://evil.example/',
              'Content-Language': 'en',
            },
          },
        ),
      ),
    )
    const answer = await send('GET', '/mindbody/public/v6/staff/staff', [`Cookie: ${cookie}`])
    const names = answer.headers.map(([name]) => name)
    expect(answer.status).toBe(200)
    expect(names).toContain('content-language')
    for (const name of [
      'access-control-allow-origin',
      'access-control-allow-credentials',
      'refresh',
      'location',
    ])
      expect(names).not.toContain(name)
  })

  describe.each(UPSTREAM_CLIENTS)('over %s', (_, client) => {
    let other: Awaited<ReturnType<typeof startProxy>>
    beforeEach(async () => {
      other = await startProxy(standIn.url, {
        origins: [APP],
        allowAnonymous: (method, path) => method === 'GET' && path === '/public/v6/site/sites',
        ...client,
      })
    })
    afterEach(() => other.close())
    /** Mindbody's answers to `path` carry `headers`. */
    const answerWith = (path: string, headers: Record<string, string>) =>
      standIn.use(http.get(`*${path}`, () => HttpResponse.json({}, { headers })))
    /** Every value the browser got for header `name`. */
    const valuesOf = (answer: { headers: Array<[string, string]> }, name: string) =>
      answer.headers.filter(([header]) => header === name).map(([, value]) => value)
    const staff = async () =>
      pageRequest(other.origin, 'GET', '/mindbody/public/v6/staff/staff', [`Cookie: ${await signIn()}`])

    it('passes on only what a JSON answer needs, and keeps a signed-in answer out of shared caches', async () => {
      answerWith('/public/v6/staff/staff', {
        'Clear-Site-Data': '"cookies", "storage"',
        'Alt-Svc': 'h3=":443"; ma=86400',
        'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
        Link: '<http://evil.example/x.js>; rel=preload; as=script',
        'X-Powered-By': 'ASP.NET',
        'Set-Cookie': 'upstream=1',
        'Content-Type': 'application/json; charset=utf-8',
        ETag: '"v1"',
        'Retry-After': '120',
        Date: 'Tue, 01 Dec 2026 10:00:00 GMT',
        'Cache-Control': 'public, max-age=60, s-maxage=600',
        Vary: 'Accept-Encoding',
      })
      const answer = await staff()
      expect(answer.status).toBe(200)
      const names = answer.headers.map(([name]) => name)
      for (const name of ['clear-site-data', 'alt-svc', 'strict-transport-security', 'link', 'x-powered-by'])
        expect(names).not.toContain(name)
      // The proxy sets no cookie of its own on a call that goes well: none of Mindbody's gets through.
      expect(names).not.toContain('set-cookie')
      expect(valuesOf(answer, 'content-type')).toEqual(['application/json; charset=utf-8'])
      expect(valuesOf(answer, 'etag')).toEqual(['"v1"'])
      expect(valuesOf(answer, 'retry-after')).toEqual(['120'])
      expect(valuesOf(answer, 'date')).toEqual(['Tue, 01 Dec 2026 10:00:00 GMT'])
      expect(valuesOf(answer, 'cache-control')).toEqual(['private, max-age=60'])
      expect(valuesOf(answer, 'vary')).toEqual(['Accept-Encoding, Cookie'])
    })

    it("keeps Mindbody's no-store and Vary: *, and stores nothing when Mindbody said nothing", async () => {
      answerWith('/public/v6/staff/staff', { 'Cache-Control': 'no-store, must-revalidate', Vary: '*' })
      const kept = await staff()
      expect(valuesOf(kept, 'cache-control')).toEqual(['private, no-store, must-revalidate'])
      expect(valuesOf(kept, 'vary')).toEqual(['*'])
      answerWith('/public/v6/staff/staff', { Vary: 'Origin, cookie' })
      const unsaid = await staff()
      expect(valuesOf(unsaid, 'cache-control')).toEqual(['private, no-store'])
      expect(valuesOf(unsaid, 'vary')).toEqual(['Origin, cookie'])
    })

    it("keeps Mindbody's Cache-Control on an anonymous answer, varied by Cookie", async () => {
      answerWith('/public/v6/site/sites', { 'Cache-Control': 'public, max-age=60' })
      const answer = await pageRequest(other.origin, 'GET', '/mindbody/public/v6/site/sites')
      expect(answer.status).toBe(200)
      expect(valuesOf(answer, 'cache-control')).toEqual(['public, max-age=60'])
      expect(valuesOf(answer, 'vary')).toEqual(['Cookie'])
    })
  })

  it('forwards nothing for a caller with no session, unless allowAnonymous names the call', async () => {
    expect((await send('GET', '/mindbody/public/v6/staff/staff')).status).toBe(401)
    expect(upstreamCalls()).toBe(0)
    await send('GET', '/mindbody/public/v6/site/sites')
    expect(standIn.seen).toHaveLength(1)
    expect(standIn.seen[0]!.headers.get('Authorization')).toBeNull()
    expect(standIn.seen[0]!.headers.get('Api-Key')).toBeTruthy()
  })
})

describe('9. the session routes and an ended session', () => {
  let stored: Awaited<ReturnType<typeof startProxy>>
  beforeEach(async () => {
    stored = await startProxy(standIn.url, { origins: [APP], session: { store: memorySessionStore() } })
  })
  afterEach(() => stored.close())
  const sendTo = (method: string, path: string, extra: string[] = [], body = '') =>
    pageRequest(stored.origin, method, path, extra, body)
  const signInThere = async () =>
    setCookie(await sendTo('POST', `/mindbody${TOKENS}/issue`, [], STAFF)).split(';')[0]!

  it('refuses encoded slashes and dot segments into them, and reads unreserved escapes as the route', async () => {
    const cookie = await signInThere()
    for (const path of [
      '/mindbody/session%2factivity',
      '/mindbody/sessions/..%2fsession',
      '/mindbody/sessions/./x',
    ])
      expect((await sendTo('POST', path, [`Cookie: ${cookie}`])).status).toBe(400)
    const listed = await sendTo('GET', '/mindbody/%73essions', [`Cookie: ${cookie}`])
    expect(listed.status).toBe(200)
    // The body arrives chunked over the raw socket: one session listed.
    expect(listed.body.match(/"Id":/g)).toHaveLength(1)
  })

  it('treats two session cookies as signed out, and a DELETE without the CSRF header or from another origin as forged', async () => {
    const cookie = await signInThere()
    const other = await signInThere()
    const [{ id }] = (await stored.proxy.sessions.list({ siteId: -99 })) as [{ id: string }, ...unknown[]]
    const twice = await sendTo('GET', '/mindbody/sessions', [`Cookie: ${cookie}`, `Cookie: ${other}`])
    expect(twice.status).toBe(401)
    const bare = await socketRequest(stored.origin, [
      `DELETE /mindbody/sessions/${id} HTTP/1.1`,
      'Host: portal.test',
      `Origin: ${APP}`,
      'SiteId: -99',
      `Cookie: ${cookie}`,
    ])
    expect(bare.status).toBe(403)
    const forged = await socketRequest(stored.origin, [
      `DELETE /mindbody/sessions/${id} HTTP/1.1`,
      'Host: portal.test',
      'Origin: http://evil.test',
      'X-Mindbody-Proxy: 1',
      'SiteId: -99',
      `Cookie: ${cookie}`,
    ])
    expect(forged.status).toBe(403)
    expect(await stored.proxy.sessions.list({ siteId: -99 })).toHaveLength(2)
  })

  it('ends a revoked session with 401 SessionExpired even when upstream answers the revoke with a redirect', async () => {
    const cookie = await signInThere()
    standIn.use(
      http.delete(
        '*/usertoken/revoke',
        () => new HttpResponse(null, { status: 302, headers: { Location: 'http://evil.test/' } }),
      ),
    )
    await stored.proxy.sessions.revoke({ siteId: -99 })
    const seen = standIn.seen.length
    const ended = await sendTo('GET', '/mindbody/public/v6/staff/staff', [`Cookie: ${cookie}`])
    expect(ended.status).toBe(401)
    expect(ended.body).toMatch(/"Code":"SessionExpired","Reason":"revoked"/)
    expect(ended.headers.map(([name]) => name)).not.toContain('location')
    // Only the revoke went upstream; the forwarded call never did.
    expect(standIn.seen.slice(seen).map((r) => r.decoded)).toEqual([`${TOKENS}/revoke`])
  })
})

afterAll(() => vi.restoreAllMocks())
