import type { IncomingMessage, ServerResponse } from 'node:http'
import { getResponse, type HttpHandler } from 'msw'
import { createMockMindbody } from './createMockMindbody'

/**
 * Options of `serveMockMindbody`.
 *
 * @example
 * const options: ServeMockMindbodyOptions = { port: 4010, handlers: [...mindbody.handlers] }
 */
export interface ServeMockMindbodyOptions {
  /** What the server answers with, first match wins. Default: a fresh `createMockMindbody().handlers`. */
  handlers?: HttpHandler[]
  /** The port. Default 0: a free one, which `url` names. */
  port?: number
  /** The address to listen on. Default `'127.0.0.1'`: this machine only. */
  host?: string
}

/**
 * A mock Mindbody listening over HTTP; see `serveMockMindbody`.
 *
 * @example
 * const mock: MockMindbodyServer = await serveMockMindbody()
 * createMindbodyProxy({ apiKey: 'any', secret, siteIds: [-99], upstream: mock.url, secure: false })
 */
export interface MockMindbodyServer {
  /** Where it listens, with no trailing slash: `http://127.0.0.1:40123`. Give it as the proxy's `upstream`. */
  url: string
  /** Stops listening and closes every connection. */
  close(): Promise<void>
}

/** Node's HTTP server, taken at run time: no bundler for the browser ever meets an import of it. */
function nodeHttp(): typeof import('node:http') {
  const http = (
    globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
  ).process?.getBuiltinModule?.('node:http')
  if (!http) throw new Error('serveMockMindbody runs on Node 20.16 or newer, not in a browser.')
  return http as typeof import('node:http')
}

/** `req` as a web `Request`, its body read whole. */
async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Uint8Array<ArrayBuffer>[] = []
  for await (const chunk of req) chunks.push(chunk as Uint8Array<ArrayBuffer>)
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' || !chunks.length ? undefined : new Blob(chunks)
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body })
}

/** Writes `response` to `res`, each `Set-Cookie` its own line. */
async function send(res: ServerResponse, response: Response) {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length) headers['set-cookie'] = cookies
  const body = new Uint8Array(await response.arrayBuffer())
  res.writeHead(response.status, headers)
  res.end(body)
}

/**
 * Serves a mock Mindbody over HTTP on Node, on this machine only unless `host` says otherwise: an
 * upstream for the `/server` proxy in development, with no Mindbody account. It answers with MSW
 * handlers (by default a fresh `createMockMindbody()`'s: sign-in, renew, sign-out, and Mindbody's JSON
 * 404 for any other endpoint), a dropped connection for `HttpResponse.error()`, and 404 where no
 * handler answers. Node only: it loads `node:http` when called, so importing `/testing` in a browser
 * bundle brings no Node module.
 *
 * @example
 * const mock = await serveMockMindbody() // http://127.0.0.1:<a free port>
 * const proxy = createMindbodyProxy({ apiKey: 'any', secret, siteIds: [-99], upstream: mock.url, secure: false })
 * // …
 * await mock.close()
 *
 * // With endpoints of your own in front of the mock's
 * const mindbody = createMockMindbody()
 * await serveMockMindbody({ port: 4010, handlers: [classes(mindbody), ...mindbody.handlers] })
 */
export async function serveMockMindbody(options: ServeMockMindbodyOptions = {}): Promise<MockMindbodyServer> {
  const { handlers = createMockMindbody().handlers, port = 0, host = '127.0.0.1' } = options
  const { createServer } = nodeHttp()
  const origin = () =>
    `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as { port: number }).port}`
  const server = createServer((req, res) => {
    const answer = async () => {
      const response = await getResponse(handlers, await toRequest(req, origin()))
      if (response?.type === 'error') return void res.destroy()
      await send(
        res,
        response ?? Response.json({ Error: { Message: 'Not found.', Code: 'NotFound' } }, { status: 404 }),
      )
    }
    // A handler that throws: a 500, as a server's own fault, and never an unhandled rejection.
    answer().catch(() =>
      res.headersSent
        ? res.destroy()
        : send(
            res,
            Response.json({ Error: { Message: 'The mock failed.', Code: 'InternalError' } }, { status: 500 }),
          ).catch(() => res.destroy()),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    url: origin(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
