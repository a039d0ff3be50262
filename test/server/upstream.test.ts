import { createServer as createNetServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { pageRequest, socketRequest, unchunked } from './rawSocket'
import { startProxy, UPSTREAM_CLIENTS } from './startProxy'

/**
 * What the proxy makes of Mindbody's answers, over real sockets, from an upstream that writes raw
 * bytes: through `toNodeHandler` on Node's own client (the default there) and with a `fetch` given
 * (the path of every other runtime). Both must agree.
 */
const open: Array<{ close(): Promise<void> }> = []
afterEach(async () => void (await Promise.all(open.splice(0).map((o) => o.close()))))

/** An upstream that answers each request on a socket with `answer(socket, head)`; counts its connections. */
async function rawUpstream(answer: (socket: Socket, head: string) => void) {
  const sockets = new Set<Socket>()
  let connections = 0
  const closed: Array<() => void> = []
  const server = createNetServer((socket) => {
    connections++
    sockets.add(socket)
    // The proxy hangs up on answers it refuses; that is no failure of the stand-in.
    socket.on('error', () => undefined)
    socket.on('close', () => (sockets.delete(socket), closed.splice(0).forEach((c) => c())))
    let buffered = ''
    socket.on('data', (chunk) => {
      buffered += chunk
      let end
      while ((end = buffered.indexOf('\r\n\r\n')) >= 0) {
        const head = buffered.slice(0, end)
        buffered = buffered.slice(end + 4)
        answer(socket, head)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const upstream = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    open: () => sockets.size,
    /** Resolves when a socket closes. */
    nextClose: () => new Promise<void>((resolve) => closed.push(resolve)),
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  open.push(upstream)
  return upstream
}

const json = (body: string, headers: string[] = []) =>
  [
    'HTTP/1.1 200 OK',
    'Content-Type: application/json',
    ...headers,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n')

/** A 200 JSON answer as bytes on the wire, its body gzipped. */
const gzipped = (body: string) => {
  const zipped = gzipSync(body)
  const head = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${zipped.length}\r\n\r\n`
  return Buffer.concat([Buffer.from(head), zipped])
}

const get = (origin: string) =>
  socketRequest(origin, ['GET /mindbody/public/v6/site/sites HTTP/1.1', 'Host: portal.test', 'SiteId: -99'])

describe.each(UPSTREAM_CLIENTS)('the upstream, over %s', (_, transport) => {
  const proxyTo = async (url: string) => {
    const proxy = await startProxy(url, { allowAnonymous: () => true, ...transport })
    open.push(proxy)
    return proxy
  }

  it('decodes a gzip answer, and passes on no Content-Encoding', async () => {
    const upstream = await rawUpstream((socket) => socket.write(gzipped('{"Sites":[{"Id":-99}]}')))
    const answer = await get((await proxyTo(upstream.url)).origin)
    expect(answer.status).toBe(200)
    expect(answer.body).toContain('{"Sites":[{"Id":-99}]}')
    expect(answer.headers.map(([name]) => name)).not.toContain('content-encoding')
  })

  it('answers 502 for a status no Response can hold, and for a header no parser accepts', async () => {
    for (const wire of [
      'HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-Bad: a\u0000b\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      'not http at all\r\n\r\n',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      `HTTP/1.1 200 OK\r\nX-Huge: ${'a'.repeat(100_000)}\r\nContent-Length: 0\r\n\r\n`,
    ]) {
      const upstream = await rawUpstream((socket) => socket.end(wire))
      expect((await get((await proxyTo(upstream.url)).origin)).status, JSON.stringify(wire)).toBe(502)
    }
  })

  it('cuts the answer short when Mindbody does, or its gzip breaks, never sending it as complete', async () => {
    for (const wire of [
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Sites":',
      'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 15\r\n\r\nnot gzip at all',
    ]) {
      const upstream = await rawUpstream((socket) => socket.end(wire))
      const answer = await get((await proxyTo(upstream.url)).origin)
      // Chunked, and with no last chunk: the client knows the answer broke off.
      expect(answer.text, JSON.stringify(wire)).not.toMatch(/\r\n0\r\n\r\n$/)
    }
  })

  it('passes the final answer after an informational one', async () => {
    const upstream = await rawUpstream((socket) =>
      socket.end('HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n' + json('{"Sites":[]}')),
    )
    const answer = await get((await proxyTo(upstream.url)).origin)
    expect([answer.status, answer.body]).toEqual([200, expect.stringContaining('{"Sites":[]}')])
  })

  it('never crosses answers between clients, 40 at once over kept-alive connections', async () => {
    // Each answer names the request it answers, after a random wait, so answers finish out of order.
    const upstream = await rawUpstream((socket, head) => {
      const id = /[?&]id=(\d+)/.exec(head)?.[1]
      setTimeout(() => socket.write(json(`{"Id":${id}}`)), Math.random() * 20)
    })
    const proxy = await proxyTo(upstream.url)
    const ids = Array.from({ length: 40 }, (_, i) => i)
    const answers = await Promise.all(
      ids.map((id) =>
        socketRequest(proxy.origin, [
          `GET /mindbody/public/v6/site/sites?id=${id} HTTP/1.1`,
          'Host: portal.test',
          'SiteId: -99',
        ]),
      ),
    )
    expect(answers.map((answer) => /"Id":(\d+)/.exec(answer.body)?.[1])).toEqual(ids.map(String))
  })

  it('drops the call upstream when the client goes away first', async () => {
    const upstream = await rawUpstream(() => undefined) // never answers
    const proxy = await proxyTo(upstream.url)
    const { connect } = await import('node:net')
    const client = connect(Number(new URL(proxy.origin).port), '127.0.0.1', () =>
      client.write('GET /mindbody/public/v6/site/sites HTTP/1.1\r\nHost: portal.test\r\nSiteId: -99\r\n\r\n'),
    )
    await expect.poll(() => upstream.open()).toBe(1)
    const gone = upstream.nextClose()
    client.destroy()
    await gone
    expect(upstream.open()).toBe(0)
  })
})

const TOKEN = {
  TokenType: 'Bearer',
  AccessToken: 'a'.repeat(32),
  Expires: '2099-01-01T00:00:00Z',
  User: { Id: 7, FirstName: 'Ada', LastName: 'Lovelace', Type: 'Staff' },
}
const ISSUE = '/mindbody/public/v6/usertoken/issue'
const RENEW = '/mindbody/public/v6/usertoken/renew'
const signIn = (origin: string) =>
  pageRequest(
    origin,
    'POST',
    ISSUE,
    [],
    JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' }),
  )
const setCookieOf = (answer: { headers: Array<[string, string]> }) =>
  answer.headers.find(([name]) => name === 'set-cookie')?.[1]

/** An answer that never ends: `start`, then chunks for as long as the socket stays open. */
function endless(socket: Socket, status: string, start: string) {
  const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`
  socket.write(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`)
  socket.write(chunk(start))
  const more = () => {
    while (!socket.destroyed && socket.write(chunk('a'.repeat(16 * 1024))));
    if (!socket.destroyed) socket.once('drain', more)
  }
  more()
}

describe.each(UPSTREAM_CLIENTS)("the token routes' answers from Mindbody, over %s", (_, transport) => {
  const proxyTo = async (url: string) => {
    const proxy = await startProxy(url, transport)
    open.push(proxy)
    return proxy
  }

  it('refuses a token that never ends with 502, having read only the start of it, and sets no cookie', async () => {
    const upstream = await rawUpstream((socket) =>
      endless(socket, '200 OK', `{"AccessToken":"${'a'.repeat(32)}","Pad":"`),
    )
    const hungUp = upstream.nextClose()
    const answer = await signIn((await proxyTo(upstream.url)).origin)
    expect(answer.status).toBe(502)
    expect(JSON.parse(unchunked(answer.body))).toMatchObject({ Error: { Code: 'BadGateway' } })
    expect(setCookieOf(answer)).toBeUndefined()
    // It hangs up on the answer, rather than reading on in the background.
    await hungUp
  })

  it('refuses a small gzip answer that decodes to a token padded past any real one', async () => {
    const bomb = gzipped(JSON.stringify({ ...TOKEN, Pad: 'a'.repeat(20 * 1024 * 1024) }))
    const upstream = await rawUpstream((socket) => socket.end(bomb))
    const answer = await signIn((await proxyTo(upstream.url)).origin)
    expect([answer.status, setCookieOf(answer)]).toEqual([502, undefined])
  })

  it('passes on an error page of tens of kilobytes whole, and the status alone of one that never ends', async () => {
    const page = `<html>${'x'.repeat(40 * 1024)}</html>`
    let endlessly = false
    const upstream = await rawUpstream((socket) =>
      endlessly
        ? endless(socket, '503 Service Unavailable', '<html>')
        : socket.write(
            `HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\n\r\n${page}`,
          ),
    )
    const proxy = await proxyTo(upstream.url)
    const whole = await signIn(proxy.origin)
    expect([whole.status, unchunked(whole.body)]).toEqual([503, page])
    endlessly = true
    const endlessPage = await signIn(proxy.origin)
    expect([endlessPage.status, unchunked(endlessPage.body)]).toEqual([503, ''])
  })

  /** A proxy whose upstream signs in with `TOKEN` and answers a renewal with `renewal(socket)`. */
  const renewingWith = async (renewal: (socket: Socket) => void) => {
    const upstream = await rawUpstream((socket, head) =>
      // This stand-in reads no request bodies: the sign-in's body comes before the next request line.
      head.includes('POST /public/v6/usertoken/renew HTTP/1.1')
        ? renewal(socket)
        : socket.write(json(JSON.stringify(TOKEN))),
    )
    const proxy = await proxyTo(upstream.url)
    const cookie = setCookieOf(await signIn(proxy.origin))!.split(';')[0]!
    const renewed = await pageRequest(proxy.origin, 'POST', RENEW, [`Cookie: ${cookie}`])
    return { proxy, cookie, renewed }
  }

  it('keeps the session as it was when a renewal answer never ends', async () => {
    const { proxy, cookie, renewed } = await renewingWith((socket) =>
      endless(socket, '200 OK', '{"Expires":"'),
    )
    expect([renewed.status, setCookieOf(renewed)]).toEqual([502, undefined])
    const session = await pageRequest(proxy.origin, 'GET', '/mindbody/session', [`Cookie: ${cookie}`])
    expect([session.status, JSON.parse(unchunked(session.body)).Expires]).toEqual([200, TOKEN.Expires])
  })

  it("still ends the session on a dead token's 401 whose body never ends", async () => {
    const { renewed } = await renewingWith((socket) => endless(socket, '401 Unauthorized', '{"Error":'))
    expect(renewed.status).toBe(401)
    expect(setCookieOf(renewed)).toMatch(/Max-Age=0/)
  })
})

describe("Node's own client under toNodeHandler", () => {
  it('keeps one connection to Mindbody for calls one after another', async () => {
    const upstream = await rawUpstream((socket) => socket.write(json('{"Sites":[]}')))
    const proxy = await startProxy(upstream.url, { allowAnonymous: () => true })
    open.push(proxy)
    for (let i = 0; i < 20; i++) expect((await get(proxy.origin)).status).toBe(200)
    expect(upstream.connections()).toBe(1)
  })

  it('fails an answer in an encoding fetch would not decode with 502', async () => {
    const upstream = await rawUpstream((socket) =>
      socket.end(json('{"Sites":[]}', ['Content-Encoding: compress'])),
    )
    const proxy = await startProxy(upstream.url, { allowAnonymous: () => true })
    open.push(proxy)
    expect((await get(proxy.origin)).status).toBe(502)
  })

  it('uses the fetch the options give instead, for every call', async () => {
    const upstream = await rawUpstream((socket) => socket.write(json('{"Sites":[]}')))
    const called: string[] = []
    const proxy = await startProxy(upstream.url, {
      allowAnonymous: () => true,
      fetch: (input, init) => (called.push(String(input)), fetch(input, init)),
    })
    open.push(proxy)
    expect((await get(proxy.origin)).status).toBe(200)
    expect(called).toEqual([`${upstream.url}/public/v6/site/sites`])
  })
})
