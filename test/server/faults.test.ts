import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { ClientRequest } from 'node:http'
import { createServer as createNetServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { memorySessionStore, type MindbodyProxyOptions } from '../../src/server'
import { openPageRequest, pageRequest, unchunked, type SocketAnswer } from './rawSocket'
import { API_KEY, startProxy } from './startProxy'

/**
 * Faults over real sockets, as a broken network meets the proxy: browsers that leave mid-call, and a
 * Mindbody that never answers or trickles its answer. Each test waits on events, never on a clock:
 * the test timeout is the only bound.
 */
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })
const ISSUE = '/mindbody/public/v6/usertoken/issue'
const RENEW = '/mindbody/public/v6/usertoken/renew'
const REVOKE = '/mindbody/public/v6/usertoken/revoke'
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
        answer(request)
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
})
