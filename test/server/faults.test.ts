import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { ClientRequest } from 'node:http'
import { createServer as createNetServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { format } from 'node:util'
import Redis from 'ioredis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  memorySessionStore,
  redisLimitStore,
  redisSessionStore,
  type MindbodyProxyOptions,
  type SessionRecord,
  type SessionStore,
} from '../../src/server'
import { openPageRequest, pageRequest, unchunked, type SocketAnswer } from './rawSocket'
import { API_KEY, startProxy } from './startProxy'
import { startRedis } from './startRedis'
import { startStandIn } from './standIn'

/**
 * Faults over real sockets, as an attacker or a broken network meets the proxy: browsers that leave
 * mid-call, a Mindbody that never answers or trickles, a Redis that freezes or a socket that says
 * nothing, and a session store that reads back records that are not the one asked for. Each test
 * waits on events, never on a clock: the test timeout is the only bound.
 */
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })
const ISSUE = '/mindbody/public/v6/usertoken/issue'
const RENEW = '/mindbody/public/v6/usertoken/renew'
const REVOKE = '/mindbody/public/v6/usertoken/revoke'
const STAFF_LIST = '/mindbody/public/v6/staff/staff'
const DAY = 24 * 3600_000

const open: Array<{ close(): Promise<void> }> = []
afterEach(async () => void (await Promise.all(open.splice(0).map((o) => o.close()))))

/** The proxy in front of `upstream`, closed after the test with every connection still open to it. */
async function proxyTo(upstream: string, options: Partial<MindbodyProxyOptions>) {
  const started = await startProxy(upstream, options)
  open.push({ close: () => (started.server.closeAllConnections(), started.close()) })
  return started
}

type Proxy = Awaited<ReturnType<typeof proxyTo>>

/** A promise, and the function that resolves it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

const header = (answer: SocketAnswer, name: string) => answer.headers.find(([n]) => n === name)?.[1]
const bodyOf = (answer: SocketAnswer) => JSON.parse(unchunked(answer.body)) as unknown

/** Signs in through `proxy`; its cookie, as the browser sends it back. */
async function signIn(proxy: Proxy) {
  const answer = await pageRequest(proxy.origin, 'POST', ISSUE, [], STAFF)
  expect(answer.status).toBe(200)
  return header(answer, 'set-cookie')!.split(';')[0]!
}

/**
 * A request to `proxy` whose client will leave: `leave` hangs up, and resolves once the proxy's end of
 * the connection has closed, so the proxy has seen its client go.
 */
async function leavingRequest(proxy: Proxy, method: string, path: string, extra: string[] = [], body = '') {
  const accepted = new Promise<Socket>((resolve) => proxy.server.once('connection', resolve))
  const { socket, answer } = openPageRequest(proxy.origin, method, path, extra, body)
  answer.catch(() => undefined)
  const end = await accepted
  const ended = new Promise((resolve) => end.once('close', resolve))
  return {
    leave: async () => {
      socket.destroy()
      await ended
    },
  }
}

/** A request as the raw upstream read it, with its socket and that socket's closing. */
interface UpstreamRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string
  socket: Socket
  closed: Promise<void>
}

/**
 * A Mindbody that writes raw bytes: each request, read whole (head and `Content-Length` body), goes
 * to `answer`, which may answer at once, later, in pieces or never.
 */
async function rawUpstream(answer: (request: UpstreamRequest) => void) {
  const sockets = new Set<Socket>()
  const seen: UpstreamRequest[] = []
  const server = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    void closed.then(() => sockets.delete(socket))
    let buffered = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      for (let end; (end = buffered.indexOf('\r\n\r\n')) >= 0;) {
        const [line = '', ...lines] = buffered.subarray(0, end).toString().split('\r\n')
        const headers = Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        )
        const length = Number(headers['content-length'] ?? 0)
        if (buffered.length < end + 4 + length) return
        const body = buffered.subarray(end + 4, end + 4 + length).toString()
        buffered = buffered.subarray(end + 4 + length)
        const [method = '', path = ''] = line.split(' ')
        const request = { method, path, headers, body, socket, closed }
        seen.push(request)
        // Each sign-in reads the staff member's permissions; answered here, so `answer` sees token calls.
        if (path.startsWith('/public/v6/staff/staffpermissions?')) socket.write(okJson(GROUP))
        else answer(request)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const upstream = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every request, in the order it arrived. */
    seen,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  open.push(upstream)
  return upstream
}

/** A token as Mindbody answers a sign-in, valid for a day. */
const tokenJson = (AccessToken: string) =>
  JSON.stringify({
    AccessToken,
    TokenType: 'Bearer',
    Expires: new Date(Date.now() + DAY).toISOString(),
    User: { Id: 1, FirstName: 'A', LastName: 'B', Type: 'Staff' },
  })
/** The permission group of the staff member `tokenJson` signs in. */
const GROUP = JSON.stringify({
  UserGroup: { PermissionGroupName: 'Front desk', IpRestricted: false, AllowedPermissions: ['MakeSales'] },
})
const head = (length: number) =>
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`
const okJson = (body: string) => head(Buffer.byteLength(body)) + body

/**
 * The moment the proxy holds the head of Mindbody's answer to a call of a path: Node's own client
 * publishes it on its diagnostics channel, and the given fetch below tells it. Past it, a browser
 * that leaves no longer drops the call.
 */
const waiting: Array<[path: string, resolve: () => void]> = []
const headArrived = (path: string) => waiting.forEach(([p, resolve]) => path.endsWith(p) && resolve())
const answerBegun = (path: string) => new Promise<void>((resolve) => waiting.push([path, resolve]))
const onResponse = (message: unknown) => headArrived((message as { request: ClientRequest }).request.path)
beforeAll(() => subscribe('http.client.response.finish', onResponse))
afterAll(() => unsubscribe('http.client.response.finish', onResponse))
afterEach(() => void waiting.splice(0))

const transports: Array<[string, Partial<MindbodyProxyOptions>]> = [
  ["Node's own client", {}],
  [
    'a given fetch',
    {
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        headArrived(new URL(String(input)).pathname)
        return response
      },
    },
  ],
]

describe.each(transports)('token calls follow their client, over %s', (_, transport) => {
  const withStore = (url: string, options: Partial<MindbodyProxyOptions>) =>
    proxyTo(url, { session: { store: memorySessionStore() }, ...transport, ...options })

  it('drops a sign-in upstream when its client leaves before Mindbody answers, and keeps no session', async () => {
    const issued = deferred<UpstreamRequest>()
    const upstream = await rawUpstream((request) => issued.resolve(request)) // never answers
    // A deadline far past the test's own: only the client leaving can close the call.
    const proxy = await withStore(upstream.url, { upstreamTimeoutMs: 600_000 })
    const client = await leavingRequest(proxy, 'POST', ISSUE, [], STAFF)
    const issue = await issued.promise
    expect([issue.method, issue.path, JSON.parse(issue.body)]).toEqual([
      'POST',
      '/public/v6/usertoken/issue',
      JSON.parse(STAFF),
    ])
    await client.leave()
    await issue.closed
    expect(await proxy.proxy.sessions.list({ siteId: -99 })).toEqual([])
  })

  it('drops a sign-in whose answer trickles on past upstreamTimeoutMs: 502, no cookie, no session', async () => {
    const upstream = await rawUpstream(({ socket, closed }) => {
      // The head, then one byte of body a second, for ever.
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`)
      const trickle = setInterval(() => socket.write('1\r\n \r\n'), 1000)
      void closed.then(() => clearInterval(trickle))
    })
    const proxy = await withStore(upstream.url, { upstreamTimeoutMs: 1_500 })
    const answer = await pageRequest(proxy.origin, 'POST', ISSUE, [], STAFF)
    expect(answer.status).toBe(502)
    expect(bodyOf(answer)).toMatchObject({ Error: { Code: 'BadGateway' } })
    expect(header(answer, 'set-cookie')).toBeUndefined()
    await upstream.seen[0]!.closed
    expect(await proxy.proxy.sessions.list({ siteId: -99 })).toEqual([])
  })

  it('revokes the token of a sign-in whose client left after Mindbody began answering, and keeps no session', async () => {
    const body = tokenJson('tok-late')
    const half = body.length >> 1
    const issued = deferred<UpstreamRequest>()
    const revoked = deferred<UpstreamRequest>()
    const upstream = await rawUpstream((request) => {
      if (request.path === '/public/v6/usertoken/issue') {
        request.socket.write(head(Buffer.byteLength(body)) + body.slice(0, half))
        issued.resolve(request)
      } else if (request.method === 'DELETE' && request.path === '/public/v6/usertoken/revoke') {
        request.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')
        revoked.resolve(request)
      }
    })
    const proxy = await withStore(upstream.url, { upstreamTimeoutMs: 600_000 })
    const begun = answerBegun('/usertoken/issue')
    const client = await leavingRequest(proxy, 'POST', ISSUE, [], STAFF)
    const issue = await issued.promise
    await begun
    await client.leave()
    issue.socket.write(body.slice(half))
    const revoke = await revoked.promise
    expect(revoke.headers).toMatchObject({ authorization: 'tok-late', 'api-key': API_KEY, siteid: '-99' })
    expect(await proxy.proxy.sessions.list({ siteId: -99 })).toEqual([])
  })

  it('drops a renewal upstream when its client leaves before Mindbody answers; the session stays as it was', async () => {
    const renewing = deferred<UpstreamRequest>()
    const upstream = await rawUpstream((request) => {
      if (request.path === '/public/v6/usertoken/issue') request.socket.write(okJson(tokenJson('tok-renew')))
      else if (request.path === '/public/v6/usertoken/renew') renewing.resolve(request) // never answers
    })
    const proxy = await withStore(upstream.url, { upstreamTimeoutMs: 600_000 })
    const cookie = await signIn(proxy)
    const client = await leavingRequest(proxy, 'POST', RENEW, [`Cookie: ${cookie}`])
    const renewal = await renewing.promise
    expect(renewal.headers.authorization).toBe('tok-renew')
    await client.leave()
    await renewal.closed
    const session = await pageRequest(proxy.origin, 'GET', '/mindbody/session', [`Cookie: ${cookie}`])
    expect(session.status).toBe(200)
    expect(await proxy.proxy.sessions.list({ siteId: -99 })).toHaveLength(1)
    expect(upstream.seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /public/v6/usertoken/issue',
      'GET /public/v6/staff/staffpermissions?request.staffId=1',
      'POST /public/v6/usertoken/renew',
    ])
  })

  it('completes the upstream revoke of a sign-out whose client has left, however late Mindbody answers', async () => {
    const revoking = deferred<UpstreamRequest>()
    const upstream = await rawUpstream((request) => {
      if (request.path === '/public/v6/usertoken/issue') request.socket.write(okJson(tokenJson('tok-out')))
      else if (request.path === '/public/v6/usertoken/revoke') revoking.resolve(request) // answered below
    })
    const proxy = await withStore(upstream.url, { upstreamTimeoutMs: 600_000 })
    const cookie = await signIn(proxy)
    const client = await leavingRequest(proxy, 'DELETE', REVOKE, [`Cookie: ${cookie}`])
    const revoke = await revoking.promise
    expect([revoke.method, revoke.headers.authorization]).toEqual(['DELETE', 'tok-out'])
    await client.leave()
    // The proxy has seen its client go; the call to Mindbody is still open, and its answer is read.
    expect(revoke.socket.destroyed).toBe(false)
    const read = answerBegun('/usertoken/revoke')
    revoke.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')
    await read
    expect(revoke.socket.destroyed).toBe(false)
    expect(await proxy.proxy.sessions.list({ siteId: -99 })).toEqual([])
  })

  it('revokes the new token of a sign-in whose client left while the token it replaces was revoked', async () => {
    const tokens = ['tok-old', 'tok-new']
    const oldRevoke = deferred<UpstreamRequest>()
    const newRevoke = deferred<UpstreamRequest>()
    const upstream = await rawUpstream((request) => {
      const { path, socket, headers } = request
      if (path === '/public/v6/usertoken/issue') socket.write(okJson(tokenJson(tokens.shift()!)))
      // The old token's revoke is answered late, once the client has gone; any other at once.
      else if (headers.authorization === 'tok-old') oldRevoke.resolve(request)
      else if (headers.authorization === 'tok-new') {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')
        newRevoke.resolve(request)
      }
    })
    const proxy = await withStore(upstream.url, { upstreamTimeoutMs: 600_000 })
    const cookie = await signIn(proxy)
    const client = await leavingRequest(proxy, 'POST', ISSUE, [`Cookie: ${cookie}`], STAFF)
    const revoke = await oldRevoke.promise
    await client.leave()
    revoke.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')
    expect((await newRevoke.promise).method).toBe('DELETE')
    expect(await proxy.proxy.sessions.list({ siteId: -99 })).toEqual([])
  })
})

/** A server that accepts connections, reads and never writes a byte: a Redis that has hung, or is not one. */
async function silentServer() {
  const sockets = new Set<Socket>()
  const server = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    // Read, so that a client hanging up is heard at once.
    socket.resume()
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  open.push({
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  })
  return `redis://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('stores with deadlines', () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>
  let redis: Awaited<ReturnType<typeof startRedis>>
  beforeAll(async () => void ([standIn, redis] = await Promise.all([startStandIn(), startRedis()])))
  afterAll(() => Promise.all([standIn.close(), redis.stop()]))
  afterEach(() => standIn.mindbody.reset())

  const logged: string[][] = []
  beforeEach(() => {
    for (const method of ['error', 'warn', 'log', 'info', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation((...args) => void logged.push([method, format(...args)]))
  })
  afterEach(() => {
    vi.restoreAllMocks()
    logged.splice(0)
  })

  /** An ioredis client with the defaults a user would have: no command timeout, its offline queue on. */
  const ioredis = (url: string) => {
    const client = new Redis(url)
    client.on('error', () => {})
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()))
    let closed: Promise<void> | undefined
    const close = () =>
      (closed ??= (async () => {
        client.disconnect()
        await ended
        // Whatever the commands still waiting were failed with has been handled (and logged) by now.
        await new Promise((resolve) => setImmediate(resolve))
      })())
    open.push({ close })
    return { client, close }
  }

  const signInAnswer = (proxy: Proxy) => pageRequest(proxy.origin, 'POST', ISSUE, [], STAFF)

  /** A 503 that fails closed: `Retry-After: 30`, Mindbody's error envelope, and no cookie set. */
  const expectUnavailable = (answer: SocketAnswer) => {
    expect(answer.status).toBe(503)
    expect(header(answer, 'retry-after')).toBe('30')
    expect(bodyOf(answer)).toEqual({ Error: { Code: 'ServiceUnavailable', Message: expect.any(String) } })
    expect(header(answer, 'set-cookie')).toBeUndefined()
  }

  /** No log line holds the password, the API key, a cookie's value or any token the stand-in issued. */
  const expectNothingSecretLogged = (cookies: string[]) => {
    const tokens = [
      ...standIn.mindbody.validTokens(),
      ...standIn.seen.map((r) => r.headers.get('Authorization')).filter((t): t is string => !!t),
    ]
    const secrets = ['demo-password', API_KEY, ...cookies.map((c) => c.slice(c.indexOf('=') + 1)), ...tokens]
    for (const [method, line] of logged)
      for (const secret of secrets) expect(line, `console.${method}`).not.toContain(secret)
  }

  it('answers 503 and forwards nothing while Redis is frozen, with a client that would wait for ever', async () => {
    const { client, close } = ioredis(redis.url)
    const proxy = await proxyTo(standIn.url, {
      storeTimeoutMs: 300,
      session: { store: redisSessionStore(client) },
    })
    const cookie = await signIn(proxy)
    const before = standIn.seen.length
    redis.pause()
    try {
      for (const path of ['/mindbody/session', STAFF_LIST])
        expectUnavailable(await pageRequest(proxy.origin, 'GET', path, [`Cookie: ${cookie}`]))
      expect(standIn.seen.slice(before)).toEqual([])
    } finally {
      redis.resume()
    }
    // Redis answers again: so does the same session.
    expect((await pageRequest(proxy.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])).status).toBe(200)
    await close()
    expectNothingSecretLogged([cookie])
  })

  it('answers a sign-in 503 when the session store’s Redis says nothing, and revokes the token it issued', async () => {
    const { client, close } = ioredis(await silentServer())
    const proxy = await proxyTo(standIn.url, {
      storeTimeoutMs: 300,
      session: { store: redisSessionStore(client) },
    })
    const before = standIn.seen.length
    expectUnavailable(await signInAnswer(proxy))
    expect(standIn.seen.slice(before).map((r) => r.decoded)).toEqual([
      '/public/v6/usertoken/issue',
      '/public/v6/staff/staffpermissions',
      '/public/v6/usertoken/revoke',
    ])
    expect(standIn.mindbody.validTokens()).toEqual([])
    await close()
    expectNothingSecretLogged([])
  })

  it('answers a sign-in 503 when the limit store’s Redis says nothing, sending nothing upstream', async () => {
    const { client, close } = ioredis(await silentServer())
    const proxy = await proxyTo(standIn.url, { storeTimeoutMs: 300, limitStore: redisLimitStore(client) })
    const before = standIn.seen.length
    expectUnavailable(await signInAnswer(proxy))
    expect(standIn.seen.slice(before)).toEqual([])
    await close()
    expectNothingSecretLogged([])
  })

  it('signs in all the same when forgetting the failed attempts stalls', async () => {
    // A limit store that counts, then never answers the reset after a successful sign-in.
    const limitStore = { hit: async () => 1, reset: () => new Promise<void>(() => {}) }
    const proxy = await proxyTo(standIn.url, { storeTimeoutMs: 300, limitStore })
    const answer = await signInAnswer(proxy)
    expect(answer.status).toBe(200)
    expect(header(answer, 'set-cookie')).toMatch(/^mindbody-session\.-99=/)
  })
})

describe('records read back from a session store', () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>
  beforeAll(async () => void (standIn = await startStandIn()))
  afterAll(() => standIn.close())
  afterEach(() => standIn.mindbody.reset())

  /** A store kept in memory that reads back, for the record asked for, what `forge` makes of it. */
  const forging = (forge: (record: SessionRecord) => unknown): SessionStore => {
    const kept = memorySessionStore()
    return {
      ...kept,
      get: async (id) => {
        const record = await kept.get(id)
        return record && (forge(record) as SessionRecord)
      },
    }
  }
  const forgeries: Array<[string, (record: SessionRecord) => unknown]> = [
    ['the record of another id', (r) => ({ ...r, id: 'f'.repeat(32) })],
    ['the record of another site', (r) => ({ ...r, siteId: '-98' })],
    ['a record with no id', ({ id: _, ...r }) => r],
    ['a record with no expiresAt', ({ expiresAt: _, ...r }) => r],
    ['a record with no userId', ({ userId: _, ...r }) => r],
    ['a record whose expiresAt is past', (r) => ({ ...r, expiresAt: Date.now() - 1000 })],
    ['a record with a string for its expiresAt', (r) => ({ ...r, expiresAt: String(r.expiresAt) })],
    [
      'a record with strings for its other times',
      (r) => ({ ...r, signedInAt: String(r.signedInAt), activeAt: String(r.activeAt) }),
    ],
    ['a record with a string for its userId', (r) => ({ ...r, userId: String(r.userId) })],
    ['a record with a number for its siteId', (r) => ({ ...r, siteId: -99 })],
    ['a string', () => 'yes'],
  ]
  const calls: Array<[string, string]> = [
    ['GET', '/mindbody/session'],
    ['GET', STAFF_LIST],
    ['POST', RENEW],
    ['POST', '/mindbody/session/activity'],
  ]

  it('signs out while the store cannot forget the session: cookie cleared, token revoked', async () => {
    const kept = memorySessionStore()
    let down = false
    const store: SessionStore = {
      ...kept,
      revoke: async (id) => (down ? Promise.reject(new Error('down')) : kept.revoke(id)),
    }
    const proxy = await proxyTo(standIn.url, { session: { store } })
    const cookie = await signIn(proxy)
    const token = standIn.mindbody.validTokens().at(-1)!
    down = true
    const out = await pageRequest(proxy.origin, 'DELETE', REVOKE, [`Cookie: ${cookie}`])
    down = false
    expect(header(out, 'set-cookie')).toMatch(/^mindbody-session\.-99=; Path=\/mindbody; Max-Age=0;/)
    expect(standIn.mindbody.isValid(token)).toBe(false)
    expect((await pageRequest(proxy.origin, 'GET', STAFF_LIST, [`Cookie: ${cookie}`])).status).toBe(401)
  })

  it.each(forgeries)(
    'ends the session when the store reads back %s, forwarding nothing',
    async (_, forge) => {
      const proxy = await proxyTo(standIn.url, { session: { store: forging(forge) } })
      for (const [method, path] of calls) {
        const cookie = await signIn(proxy)
        const token = standIn.mindbody.validTokens().at(-1)!
        const before = standIn.seen.length
        const answer = await pageRequest(proxy.origin, method, path, [`Cookie: ${cookie}`])
        expect(answer.status, `${method} ${path}`).toBe(401)
        expect(bodyOf(answer)).toEqual({
          Error: {
            Message: 'This session has ended. Sign in again.',
            Code: 'SessionExpired',
            Reason: 'revoked',
          },
        })
        expect(header(answer, 'set-cookie')).toMatch(/^mindbody-session\.-99=; Path=\/mindbody; Max-Age=0;/)
        // Its token is revoked, and nothing else reaches Mindbody.
        expect(standIn.seen.slice(before).map((r) => r.decoded)).toEqual(['/public/v6/usertoken/revoke'])
        expect(standIn.mindbody.isValid(token)).toBe(false)
      }
    },
  )
})
