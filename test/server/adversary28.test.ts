import { connect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import Redis from 'ioredis'
import { http, HttpResponse } from 'msw'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { memorySessionStore, redisSessionStore, type MindbodyProxyOptions } from '../../src/server'
import { PAGE_ORIGIN as APP, pageRequest, socketRequest, unchunked, type SocketAnswer } from './rawSocket'
import { API_KEY, startProxy, UPSTREAM_CLIENTS } from './startProxy'
import { startRedis } from './startRedis'
import { startStandIn } from './standIn'

/**
 * An adversary's pass over the proxy after its "parse, then a route table" restructuring: what the
 * other suites do not already send. Paths that could match the wrong row of the table, duplicated and
 * forged headers, odd upstream answers on every kind of route, a thief's races and replays, and a
 * store that stalls at each route. Every test also checks: no 5xx of the proxy's own, nothing logged,
 * no secret in an answer.
 */
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })
const ISSUE = '/mindbody/public/v6/usertoken/issue'
const RENEW = '/mindbody/public/v6/usertoken/renew'
const REVOKE = '/mindbody/public/v6/usertoken/revoke'
const STAFF_LIST = '/mindbody/public/v6/staff/staff'
const TOKEN_ROUTE = /^\/public\/v6\/usertoken\/(issue|renew|revoke)$/

let standIn: Awaited<ReturnType<typeof startStandIn>>
const open: Array<{ close(): Promise<void> }> = []
let logged: Array<ReturnType<typeof vi.spyOn>> = []

beforeEach(async () => {
  // A fresh stand-in each test: handlers added with `use` do not outlive it.
  standIn = await startStandIn()
  open.push({ close: () => standIn.close() })
  logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level))
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()))
  for (const spy of logged) expect(spy).not.toHaveBeenCalled()
  vi.restoreAllMocks()
})

async function proxyTo(upstream: string, options: Partial<MindbodyProxyOptions> = {}) {
  const started = await startProxy(upstream, { origins: [APP], ...options }, { alone: true })
  open.push({ close: () => (started.server.closeAllConnections(), started.close()) })
  return started
}
type Proxy = Awaited<ReturnType<typeof proxyTo>>

const header = (answer: SocketAnswer, name: string) => answer.headers.find(([n]) => n === name)?.[1]
const cookiesOf = (answer: SocketAnswer) =>
  answer.headers.filter(([n]) => n === 'set-cookie').map(([, v]) => v)
const cookieOf = (answer: SocketAnswer) => header(answer, 'set-cookie')!.split(';')[0]!
async function signIn(proxy: Proxy) {
  const answer = await pageRequest(proxy.origin, 'POST', ISSUE, [], STAFF)
  expect(answer.status).toBe(200)
  return cookieOf(answer)
}
const seenSince = (before: number) => standIn.seen.slice(before)

/** What no answer may hold: the password, the API key, a cookie's value, any token Mindbody issued. */
function expectNoSecret(answer: SocketAnswer, cookies: string[] = []) {
  const tokens = standIn.seen.map((r) => r.headers.get('Authorization')).filter((t): t is string => !!t)
  for (const secret of [
    'demo-password',
    API_KEY,
    ...tokens,
    ...standIn.mindbody.validTokens(),
    ...cookies.map((c) => c.slice(c.indexOf('=') + 1)),
  ])
    expect(answer.text).not.toContain(secret)
}

/** Every call that reached Mindbody and names `usertoken` went through a token route, with its own method. */
function expectTokenCallsCanonical(before: number) {
  for (const seen of seenSince(before))
    if (/usertoken/i.test(seen.decoded.normalize('NFKC').toUpperCase().toLowerCase())) {
      expect(seen.path).toMatch(TOKEN_ROUTE)
      expect(seen.method).toBe(seen.path.endsWith('revoke') ? 'DELETE' : 'POST')
    }
}

describe('1. the route table: paths that could match the wrong row', () => {
  let proxy: Proxy
  let cookie: string
  let sid: string
  beforeEach(async () => {
    // `allow` lets everything through, so the table alone decides what is a route.
    proxy = await proxyTo(standIn.url, { allow: () => true, session: { store: memorySessionStore() } })
    cookie = await signIn(proxy)
    sid = (await proxy.proxy.sessions.list({ siteId: -99 }))[0]!.id
  })

  const cases: Array<[string, string, (sid: string) => string, number | 'forwarded']> = [
    ['GET', 'a path below /session', () => '/mindbody/session/x', 'forwarded'],
    ['POST', 'a path below /session/activity', () => '/mindbody/session/activity/x', 'forwarded'],
    ['POST', '/session/activity with a trailing slash', () => '/mindbody/session/activity/', 400],
    ['GET', '/Session in another case', () => '/mindbody/Session', 'forwarded'],
    ['GET', '/session with ; parameters', () => '/mindbody/session;x=1', 400],
    ['GET', '/sessions with a trailing slash', () => '/mindbody/sessions/', 400],
    ['DELETE', 'a path below /sessions/{id}', (id) => `/mindbody/sessions/${id}/x`, 'forwarded'],
    ['DELETE', '/sessions/{id} then ..', (id) => `/mindbody/sessions/${id}/..`, 400],
    ['DELETE', '/sessions/{id} then %2e%2e', (id) => `/mindbody/sessions/${id}/%2e%2e`, 400],
    ['DELETE', '/sessions/{ID} in upper case', (id) => `/mindbody/sessions/${id.toUpperCase()}`, 'forwarded'],
    ['DELETE', '/sessions/{id} with one more hex digit', (id) => `/mindbody/sessions/${id}0`, 'forwarded'],
    ['DELETE', '/sessions/{id} with an encoded slash', (id) => `/mindbody/sessions%2f${id}`, 400],
    ['POST', 'renew with a trailing slash', () => `${RENEW}/`, 400],
    ['POST', 'renew with an encoded slash', () => '/mindbody/public/v6/usertoken%2frenew', 400],
    ['POST', 'renew under v06', () => '/mindbody/public/v06/usertoken/renew', 404],
    ['POST', 'renew under v0', () => '/mindbody/public/v0/usertoken/renew', 404],
    ['POST', 'renew under v99999', () => '/mindbody/public/v99999/usertoken/renew', 404],
    ['POST', 'renewx', () => '/mindbody/public/v6/usertoken/renewx', 404],
    ['POST', 'usertokens/renew', () => '/mindbody/public/v6/usertokens/renew', 404],
    ['POST', 'a token route one level down', () => '/mindbody/public/v6/x/usertoken/renew', 404],
    ['POST', 'a token route outside /public', () => '/mindbody/usertoken/renew', 404],
    ['POST', 'renew with ;', () => `${RENEW};x`, 400],
    ['POST', 'renew with a double-encoded e', () => '/mindbody/public/v6/usertoken/r%2565new', 400],
    ['GET', 'revoke with GET', () => REVOKE, 405],
    ['POST', 'revoke with POST', () => REVOKE, 405],
    ['DELETE', 'renew with DELETE', () => RENEW, 405],
    ['PUT', 'issue with PUT', () => ISSUE, 405],
  ]

  it.each(cases)('%s %s: %s', async (method, _name, path, expected) => {
    const before = standIn.seen.length
    const target = path(sid)
    const answer = await pageRequest(
      proxy.origin,
      method,
      target,
      [`Cookie: ${cookie}`],
      method === 'GET' ? '' : '{}',
    )
    expect(answer.status).toBeLessThan(500)
    expectNoSecret(answer, [cookie])
    expectTokenCallsCanonical(before)
    if (expected === 'forwarded') {
      // Forwarded to exactly the path sent, not taken as one of the proxy's own routes.
      expect(seenSince(before).map((r) => r.path)).toEqual([target.slice('/mindbody'.length)])
      expect(cookiesOf(answer)).toEqual([])
    } else {
      expect(answer.status).toBe(expected)
      expect(seenSince(before)).toEqual([])
    }
    // The session is still there: no row that ends it answered.
    expect(await proxy.proxy.sessions.list({ siteId: -99 })).toHaveLength(1)
  })

  it('takes a token route with a query as the route, and sends Mindbody no query', async () => {
    const before = standIn.seen.length
    const answer = await pageRequest(proxy.origin, 'POST', `${RENEW}?Authorization=x&SiteId=1`, [
      `Cookie: ${cookie}`,
    ])
    expect(answer.status).toBe(200)
    expect(seenSince(before).map((r) => r.path)).toEqual(['/public/v6/usertoken/renew'])
    expect(seenSince(before)[0]!.headers.get('SiteId')).toBe('-99')
    expectNoSecret(answer, [cookie])
  })

  it('takes an upper-case token route as the route: sealed, limited, no token to the page', async () => {
    const before = standIn.seen.length
    const answer = await pageRequest(proxy.origin, 'POST', '/mindbody/PUBLIC/V6/USERTOKEN/RENEW', [
      `Cookie: ${cookie}`,
    ])
    expect(answer.status).toBe(200)
    expect(seenSince(before).map((r) => r.path)).toEqual(['/public/v6/usertoken/renew'])
    expectNoSecret(answer, [cookie])
  })
})

describe('2. token routes spelled with Unicode look-alikes', () => {
  // A server that matches routes case-insensitively with Unicode folding (Java's equalsIgnoreCase,
  // Python's casefold, NFKC) reads `uſertoken` (U+017F, long s), `userto\u212Aen` (Kelvin sign) or
  // fullwidth letters as `usertoken`. Forwarded as an ordinary call, its answer (a token) would reach
  // the page unsealed, with no sign-in limit. Mindbody's paths are ASCII, so the proxy refuses any
  // escaped byte beyond ASCII in a path.
  let proxy: Proxy
  let cookie: string
  beforeEach(async () => {
    proxy = await proxyTo(standIn.url)
    cookie = await signIn(proxy)
  })

  it.each([
    ['long s (U+017F)', '/mindbody/public/v6/u%C5%BFertoken/renew'],
    ['Kelvin sign (U+212A)', '/mindbody/public/v6/userto%E2%84%AAen/renew'],
    ['fullwidth u (U+FF55)', '/mindbody/public/v6/%EF%BD%95sertoken/renew'],
  ])('refuses a renew spelled with %s, sending nothing upstream', async (_, path) => {
    // Mindbody as a router that folds case and compatibility forms would be: the renew route, which
    // answers the token in its body.
    standIn.use(
      http.post('*', ({ request }) => {
        const decoded = decodeURIComponent(new URL(request.url).pathname)
        if (decoded.normalize('NFKC').toUpperCase().toLowerCase() !== '/public/v6/usertoken/renew') return
        return HttpResponse.json({ AccessToken: request.headers.get('Authorization'), TokenType: 'Bearer' })
      }),
    )
    const before = standIn.seen.length
    const answer = await pageRequest(proxy.origin, 'POST', path, [`Cookie: ${cookie}`], '{}')
    expectNoSecret(answer, [cookie])
    expect(answer.status).toBe(400)
    expect(seenSince(before)).toEqual([])
  })
})

describe('3. headers: duplicated, forged, oversized; methods the table does not list', () => {
  let proxy: Proxy
  let cookie: string
  beforeEach(async () => {
    proxy = await proxyTo(standIn.url)
    cookie = await signIn(proxy)
  })
  const head = (method: string, path: string, lines: string[]) => [`${method} ${path} HTTP/1.1`, ...lines]
  const good = ['Host: portal.test', `Origin: ${APP}`, 'X-Mindbody-Proxy: 1', 'SiteId: -99']

  const cases: Array<[string, string, string, string[], string, number[]]> = [
    ['two identical Host headers', 'GET', STAFF_LIST, ['Host: portal.test', ...good], '', [400]],
    ['Host twice, the second evil', 'POST', ISSUE, [...good, 'Host: evil.test'], STAFF, [400]],
    ['Origin twice, the second evil', 'POST', ISSUE, [...good, 'Origin: http://evil.test'], STAFF, [403]],
    ['Origin twice, the first evil', 'POST', ISSUE, ['Origin: http://evil.test', ...good], STAFF, [403]],
    ['X-Mindbody-Proxy twice', 'POST', ISSUE, [...good, 'X-Mindbody-Proxy: 1'], STAFF, [403]],
    ['SiteId twice, the same', 'GET', STAFF_LIST, [...good, 'SiteId: -99'], '', [400]],
    ['SiteId twice, one another site', 'GET', STAFF_LIST, [...good, 'SiteId: 1234'], '', [400]],
    ['Content-Length twice, different', 'POST', ISSUE, [...good, 'Content-Length: 1'], STAFF, [400]],
    [
      'Transfer-Encoding and Content-Length',
      'POST',
      ISSUE,
      [...good, 'Transfer-Encoding: chunked'],
      STAFF,
      [400],
    ],
    ['a lower-case method', 'get', STAFF_LIST, good, '', [0, 400]],
    ['TRACE', 'TRACE', STAFF_LIST, good, '', [405]],
    ['CONNECT', 'CONNECT', 'portal.test:443', good, '', [0, 400]],
    ['HEAD on /session', 'HEAD', '/mindbody/session', good, '', [405]],
    ['HEAD on a forwarded call', 'HEAD', STAFF_LIST, good, '', [404]],
    ['OPTIONS on a forwarded call (a preflight)', 'OPTIONS', STAFF_LIST, good, '', [404]],
    ['OPTIONS on /sessions', 'OPTIONS', '/mindbody/sessions', good, '', [404]],
    ['a 20 kB header', 'GET', STAFF_LIST, [...good, `X-Big: ${'a'.repeat(20_000)}`], '', [431]],
    ['a NUL in SiteId', 'GET', STAFF_LIST, [...good.slice(0, 3), 'SiteId: -99\0'], '', [400]],
    ['an obs-fold SiteId', 'GET', STAFF_LIST, [...good.slice(0, 3), 'SiteId: -99', ' 1234'], '', [400]],
  ]

  it.each(cases)('%s: answered %j, nothing upstream', async (_, method, path, lines, body, statuses) => {
    const before = standIn.seen.length
    const answer = await socketRequest(
      proxy.origin,
      head(method, path, [...lines, `Cookie: ${cookie}`]),
      body,
    )
    expect(statuses).toContain(answer.status)
    expect(seenSince(before)).toEqual([])
    expectNoSecret(answer, [cookie])
  })

  it('reads neither Forwarded nor X-Forwarded-Host as the own origin (no origins listed)', async () => {
    const own = await startProxy(standIn.url, {}, { alone: true })
    open.push({ close: () => (own.server.closeAllConnections(), own.close()) })
    const before = standIn.seen.length
    for (const forged of ['Forwarded: host=evil.test;proto=http', 'X-Forwarded-Host: evil.test']) {
      const answer = await socketRequest(
        own.origin,
        head('POST', ISSUE, [
          'Host: portal.test',
          'Origin: http://evil.test',
          'X-Mindbody-Proxy: 1',
          'SiteId: -99',
          'Content-Type: application/json',
          forged,
        ]),
        STAFF,
      )
      expect(answer.status).toBe(403)
    }
    expect(seenSince(before)).toEqual([])
  })
})

/** An upstream that answers each request as `answer` writes it on the raw socket. */
async function rawUpstream(answer: (socket: Socket, line: string) => void) {
  const sockets = new Set<Socket>()
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let buffered = ''
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1')
      const end = buffered.indexOf('\r\n\r\n')
      if (end < 0) return
      const length = Number(/content-length:\s*(\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0)
      if (buffered.length < end + 4 + length) return
      const line = buffered.slice(0, buffered.indexOf('\r\n'))
      buffered = ''
      answer(socket, line)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  open.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  })
  return url
}

const TOKEN = 'raw-upstream-access-token-0123456789'
const tokenJson = JSON.stringify({
  AccessToken: TOKEN,
  TokenType: 'Bearer',
  Expires: new Date(Date.now() + 86_400_000).toISOString(),
  User: { Id: 7, FirstName: 'Ada', LastName: 'Lovelace', Type: 'Staff' },
})
/** The permission group of the staff member `tokenJson` signs in, read at each sign-in. */
const groupJson = JSON.stringify({
  UserGroup: { PermissionGroupName: 'Front desk', IpRestricted: false, AllowedPermissions: ['MakeSales'] },
})
const write = (socket: Socket, status: string, headers: string[], body = '') =>
  socket.write(`HTTP/1.1 ${status}\r\n${headers.join('\r\n')}\r\n\r\n${body}`)

describe.each(UPSTREAM_CLIENTS)('4. odd upstream answers, over %s', (_, client) => {
  /** A proxy in front of a raw upstream: `forward` answers every non-token call, `token` each token call. */
  async function setUp(forward: (socket: Socket) => void, token?: (socket: Socket, line: string) => void) {
    const url = await rawUpstream((socket, line) =>
      /usertoken/.test(line) && token
        ? token(socket, line)
        : /usertoken\/issue/.test(line)
          ? write(
              socket,
              '200 OK',
              ['Content-Type: application/json', `Content-Length: ${tokenJson.length}`],
              tokenJson,
            )
          : /usertoken\/revoke/.test(line)
            ? write(socket, '204 No Content', [])
            : /staffpermissions\?request\.staffId=7 /.test(line)
              ? write(socket, '200 OK', [`Content-Length: ${groupJson.length}`], groupJson)
              : forward(socket),
    )
    const proxy = await proxyTo(url, { ...client })
    return proxy
  }
  const signedIn = async (proxy: Proxy) => {
    const answer = await pageRequest(proxy.origin, 'POST', ISSUE, [], STAFF)
    expect(answer.status).toBe(200)
    expect(answer.text).not.toContain(TOKEN)
    return cookieOf(answer)
  }
  const names = (answer: SocketAnswer) => answer.headers.map(([n]) => n)

  it('passes a 204 that claims a body as an empty 204', async () => {
    const proxy = await setUp((s) =>
      write(s, '204 No Content', ['Content-Length: 5', 'Content-Type: text/html'], 'hello'),
    )
    const cookie = await signedIn(proxy)
    const answer = await pageRequest(proxy.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])
    expect(answer.status).toBe(204)
    expect(answer.body).toBe('')
  })

  it('passes a 205 with a body as a 205 without it', async () => {
    const proxy = await setUp((s) => write(s, '205 Reset Content', ['Content-Length: 5'], 'hello'))
    const cookie = await signedIn(proxy)
    const answer = await pageRequest(proxy.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])
    expect(answer.status).toBe(205)
    expect(unchunked(answer.body)).toBe('')
  })

  it('drops Early Hints and every hop-by-hop, cookie and unknown header of the final answer', async () => {
    const proxy = await setUp((s) => {
      s.write('HTTP/1.1 103 Early Hints\r\nLink: <http://evil.test/x.js>; rel=preload; as=script\r\n\r\n')
      write(
        s,
        '200 OK',
        [
          'Content-Type: application/json',
          'Set-Cookie: mindbody-session.-99=planted; Path=/mindbody',
          'Set-Cookie: other=1',
          'Connection: keep-alive, X-Secret',
          'X-Secret: 1',
          'Keep-Alive: timeout=5',
          'Proxy-Authenticate: Basic',
          'Trailer: X-T',
          'Upgrade: h2c',
          'WWW-Authenticate: Basic realm="x"',
          'Content-Location: http://evil.test/',
          'Content-Length: 2',
        ],
        '{}',
      )
    })
    const cookie = await signedIn(proxy)
    const answer = await pageRequest(proxy.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])
    expect(answer.status).toBe(200)
    for (const name of [
      'link',
      'set-cookie',
      'x-secret',
      'keep-alive',
      'proxy-authenticate',
      'trailer',
      'upgrade',
      'www-authenticate',
      'content-location',
    ])
      expect(names(answer)).not.toContain(name)
  })

  it("clears the cookie on a forwarded 401, and lets none of Mindbody's cookies through", async () => {
    const proxy = await setUp((s) =>
      write(
        s,
        '401 Unauthorized',
        ['Set-Cookie: mindbody-session.-99=planted; Path=/mindbody', 'Content-Length: 2'],
        '{}',
      ),
    )
    const cookie = await signedIn(proxy)
    const answer = await pageRequest(proxy.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])
    expect(answer.status).toBe(401)
    expect(cookiesOf(answer)).toHaveLength(1)
    expect(cookiesOf(answer)[0]).toMatch(/^mindbody-session\.-99=; .*Max-Age=0/)
  })

  it.each([
    ['issue', 'POST', ISSUE],
    ['renew', 'POST', RENEW],
    ['revoke', 'DELETE', REVOKE],
  ])("passes none of Mindbody's cookies or headers on a %s answer", async (name, method, path) => {
    const proxy = await setUp(
      (s) => write(s, '200 OK', ['Content-Length: 0'], ''),
      (s) =>
        write(
          s,
          '200 OK',
          [
            'Content-Type: application/json',
            'Set-Cookie: mindbody-session.-99=planted; Path=/mindbody',
            'Location: http://evil.test/',
            'Access-Control-Allow-Origin: *',
            `Content-Length: ${tokenJson.length}`,
          ],
          tokenJson,
        ),
    )
    const cookie = name === 'issue' ? '' : await signedIn(proxy)
    const answer = await pageRequest(
      proxy.origin,
      method,
      path,
      cookie ? [`Cookie: ${cookie}`] : [],
      method === 'POST' && name === 'issue' ? STAFF : '',
    )
    expect(answer.status).toBeLessThan(500)
    for (const value of cookiesOf(answer)) expect(value).not.toContain('planted')
    expect(names(answer)).not.toContain('location')
    expect(names(answer)).not.toContain('access-control-allow-origin')
    // A revoke's answer is passed through as Mindbody gave it; issue and renew never show the token.
    if (name !== 'revoke') expect(answer.text).not.toContain(TOKEN)
  })

  it('closes a forwarded answer that never ends at Mindbody once the client hangs up mid-body', async () => {
    let upstreamClosed!: Promise<void>
    let started!: () => void
    const streaming = new Promise<void>((r) => (started = r))
    const proxy = await setUp((socket) => {
      upstreamClosed = new Promise<void>((r) => socket.once('close', () => r()))
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n')
      const timer = setInterval(() => socket.write('1\r\n \r\n'), 20)
      socket.once('close', () => clearInterval(timer))
      started()
    })
    const cookie = await signedIn(proxy)
    const client = connect(Number(new URL(proxy.origin).port), '127.0.0.1', () =>
      client.write(
        `GET ${STAFF_LIST} HTTP/1.1\r\nHost: portal.test\r\nSiteId: -99\r\nCookie: ${cookie}\r\n\r\n`,
      ),
    )
    await streaming
    await new Promise<void>((r) => client.once('data', () => r()))
    client.destroy()
    await upstreamClosed
  })

  it('answers a sign-in whose token answer is reset mid-body with 502 and no cookie', async () => {
    const proxy = await setUp(
      () => undefined,
      (s) => {
        s.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${tokenJson.length}\r\n\r\n`,
        )
        s.write(tokenJson.slice(0, 30), () => s.resetAndDestroy())
      },
    )
    const answer = await pageRequest(proxy.origin, 'POST', ISSUE, [], STAFF)
    expect(answer.status).toBe(502)
    expect(cookiesOf(answer)).toEqual([])
    expect(answer.text).not.toContain(TOKEN.slice(0, 10))
  })

  it('answers a renewal redirected by Mindbody with 502, and keeps the session', async () => {
    const proxy = await setUp(
      (s) => write(s, '200 OK', ['Content-Type: application/json', 'Content-Length: 2'], '{}'),
      (s, line) =>
        line.includes('renew')
          ? write(s, '307 Temporary Redirect', ['Location: http://evil.test/renew', 'Content-Length: 0'])
          : line.includes('issue')
            ? write(s, '200 OK', [`Content-Length: ${tokenJson.length}`], tokenJson)
            : write(s, '204 No Content', []),
    )
    const cookie = await signedIn(proxy)
    const renewed = await pageRequest(proxy.origin, 'POST', RENEW, [`Cookie: ${cookie}`])
    expect(renewed.status).toBe(502)
    expect(cookiesOf(renewed)).toEqual([])
    expect(names(renewed)).not.toContain('location')
    expect((await pageRequest(proxy.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])).status).toBe(200)
  })
})

describe('5. a thief with a copied cookie', () => {
  /** Holds Mindbody's answers to `path` until released. */
  function hold(method: 'get' | 'post', path: string) {
    let release!: () => void
    let reached!: () => void
    const released = new Promise<void>((r) => (release = r))
    const arrived = new Promise<void>((r) => (reached = r))
    standIn.use(
      http[method](`*${path}`, async () => {
        reached()
        await released
        return undefined
      }),
    )
    return { release, arrived }
  }

  describe('with two instances on one redis-server', () => {
    let redis: Awaited<ReturnType<typeof startRedis>>
    beforeAll(async () => void (redis = await startRedis()))
    afterAll(() => redis.stop())
    const two = async () => {
      const clients = [new Redis(redis.url), new Redis(redis.url)]
      for (const c of clients) {
        c.on('error', () => {})
        open.push({ close: async () => void c.disconnect() })
      }
      const [a, b] = await Promise.all(
        clients.map((c) => proxyTo(standIn.url, { session: { store: redisSessionStore(c) } })),
      )
      return { a: a!, b: b! }
    }

    it('refuses, on the other instance, the cookie from before a renewal and the one after, once the owner signs out', async () => {
      const { a, b } = await two()
      const old = await signIn(a)
      const renewed = cookieOf(await pageRequest(b.origin, 'POST', RENEW, [`Cookie: ${old}`]))
      expect(renewed).not.toBe(old)
      expect((await pageRequest(a.origin, 'DELETE', REVOKE, [`Cookie: ${renewed}`])).status).toBe(200)
      const before = standIn.seen.length
      for (const proxy of [a, b])
        for (const cookie of [old, renewed])
          for (const [method, path] of [
            ['GET', STAFF_LIST],
            ['POST', RENEW],
            ['POST', '/mindbody/session/activity'],
            ['GET', '/mindbody/session'],
            ['GET', '/mindbody/sessions'],
          ] as const) {
            const answer = await pageRequest(proxy.origin, method, path, [`Cookie: ${cookie}`])
            expect(answer.status, `${method} ${path}`).toBe(401)
            expect(cookiesOf(answer).every((c) => /Max-Age=0/.test(c))).toBe(true)
            expectNoSecret(answer, [old, renewed])
          }
      // No forwarded call and no renewal reached Mindbody; the token was revoked once, at sign-out.
      expect(seenSince(before)).toEqual([])
    })

    it("ends a thief's forwarded calls on every instance after the owner's sign-out lands mid-call", async () => {
      const { a, b } = await two()
      const cookie = await signIn(a)
      const held = hold('get', '/public/v6/staff/staff')
      const inFlight = pageRequest(b.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])
      await held.arrived
      expect((await pageRequest(a.origin, 'DELETE', REVOKE, [`Cookie: ${cookie}`])).status).toBe(200)
      held.release()
      // Mindbody saw the revoke first: the call that was under way is refused there, and the cookie cleared.
      const answer = await inFlight
      expect(answer.status).toBe(401)
      expect(cookiesOf(answer)[0]).toMatch(/Max-Age=0/)
      const before = standIn.seen.length
      expect((await pageRequest(b.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])).status).toBe(401)
      expect(seenSince(before)).toEqual([])
    })

    it("keeps a sign-out final across a renewal in flight with the thief's copy on the other instance", async () => {
      const { a, b } = await two()
      const cookie = await signIn(a)
      standIn.mindbody.answerRenewWith('token')
      const held = hold('post', '/public/:version/usertoken/renew')
      const renewing = pageRequest(b.origin, 'POST', RENEW, [`Cookie: ${cookie}`])
      await held.arrived
      expect((await pageRequest(a.origin, 'DELETE', REVOKE, [`Cookie: ${cookie}`])).status).toBe(200)
      held.release()
      const answer = await renewing
      expect(answer.status).toBe(401)
      expect(cookiesOf(answer).every((c) => /Max-Age=0/.test(c))).toBe(true)
      expect(standIn.mindbody.validTokens()).toEqual([])
    })
  })

  it('keeps the session as it was when a client hangs up mid-forward', async () => {
    const proxy = await proxyTo(standIn.url)
    const cookie = await signIn(proxy)
    const held = hold('get', '/public/v6/staff/staff')
    const socket = await new Promise<Socket>((resolve) => {
      const s = connect(Number(new URL(proxy.origin).port), '127.0.0.1', () => {
        s.write(
          [
            `GET ${STAFF_LIST} HTTP/1.1`,
            'Host: portal.test',
            'SiteId: -99',
            `Cookie: ${cookie}`,
            '',
            '',
          ].join('\r\n'),
        )
        resolve(s)
      })
    })
    await held.arrived
    socket.destroy()
    held.release()
    const answer = await pageRequest(proxy.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])
    expect(answer.status).toBe(200)
  })
})

describe('6. a store that stalls, at each route', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>
  beforeAll(async () => void (redis = await startRedis()))
  afterAll(() => redis.stop())

  const routes: Array<[string, string, (sid: string) => string, string, number, string[]]> = [
    ['a sign-in over a session', 'POST', () => ISSUE, STAFF, 503, ['issue', 'staffpermissions', 'revoke']],
    ['a renewal', 'POST', () => RENEW, '', 503, []],
    ['a sign-out', 'DELETE', () => REVOKE, '', 200, ['revoke']],
    ['GET /session', 'GET', () => '/mindbody/session', '', 503, []],
    ['an activity report', 'POST', () => '/mindbody/session/activity', '', 503, []],
    ['GET /sessions', 'GET', () => '/mindbody/sessions', '', 503, []],
    ['DELETE /sessions/{id}', 'DELETE', (sid) => `/mindbody/sessions/${sid}`, '', 503, []],
    ['a forwarded call', 'GET', () => STAFF_LIST, '', 503, []],
  ]

  it.each(routes)('%s fails closed while Redis is frozen', async (_, method, path, body, status, calls) => {
    const client = new Redis(redis.url)
    client.on('error', () => {})
    open.push({ close: async () => void client.disconnect() })
    const proxy = await proxyTo(standIn.url, {
      storeTimeoutMs: 300,
      session: { store: redisSessionStore(client) },
    })
    const cookie = await signIn(proxy)
    const sid = (await proxy.proxy.sessions.list({ siteId: -99 }))[0]!.id
    const before = standIn.seen.length
    redis.pause()
    let answer: SocketAnswer
    try {
      answer = await pageRequest(proxy.origin, method, path(sid), [`Cookie: ${cookie}`], body)
    } finally {
      redis.resume()
    }
    expect(answer.status).toBe(status)
    expect(seenSince(before).map((r) => r.decoded.split('/').at(-1))).toEqual(calls)
    expectNoSecret(answer, [cookie])
    if (status === 503) expect(cookiesOf(answer)).toEqual([])
    // After a sign-out or a refused sign-in no token is left alive upstream but the session's own.
    if (calls.includes('revoke') && method === 'DELETE') expect(standIn.mindbody.validTokens()).toEqual([])
    // Redis back: a sign-out during the stall stays final, and so does the session a sign-in meant to
    // replace (its DEL was queued on the connection); anything else, the session is as it was.
    const after = await pageRequest(proxy.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])
    if (path(sid) === REVOKE || path(sid) === ISSUE) {
      expect(after.status).toBe(401)
      expect(standIn.mindbody.validTokens()).toEqual([])
    } else expect(after.status).toBe(200)
  })
})
