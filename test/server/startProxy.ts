import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMindbodyProxy, toNodeHandler, type MindbodyProxyOptions } from '../../src/server'

export const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
export const API_KEY = 'the-server-side-api-key'

/**
 * The proxy in a real Node HTTP server, through `toNodeHandler`, in front of `upstream`. Requests
 * outside its base path go to the rest of the app (`next`); `alone`, the proxy is the whole server,
 * with no `next`. `server` is that server, whose sockets are the proxy's ends of its clients' connections.
 */
export async function startProxy(
  upstream: string,
  options: Partial<MindbodyProxyOptions> = {},
  { alone = false } = {},
) {
  const proxy = createMindbodyProxy({
    apiKey: API_KEY,
    secret: SECRET,
    siteIds: [-99],
    upstream,
    secure: false,
    ...options,
  })
  const handler = toNodeHandler(proxy)
  const server: Server = createServer(
    alone
      ? (req, res) => handler(req, res)
      : (req, res) =>
          handler(req, res, () => {
            res.writeHead(200, { 'Content-Type': 'text/plain' })
            res.end('the rest of the app')
          }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, proxy, server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/**
 * The two ways the proxy calls Mindbody, as options: through `toNodeHandler` on Node's own client (the
 * default there) and with a `fetch` given (the path of every other runtime). Both must agree.
 */
export const UPSTREAM_CLIENTS: Array<[string, Partial<MindbodyProxyOptions>]> = [
  ["Node's own client", {}],
  ['a given fetch', { fetch: (input, init) => fetch(input, init) }],
]

/**
 * A `fetch` to `origin` as the app's own page calls the proxy: its Origin, the CSRF header, the site,
 * a JSON content type when there is a body, and `cookie` when given; `init.headers` add to them.
 */
export const pageCall =
  (origin: string) =>
  (path: string, cookie?: string, init: RequestInit = {}) =>
    fetch(origin + path, {
      ...init,
      headers: {
        'X-Mindbody-Proxy': '1',
        Origin: origin,
        SiteId: '-99',
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...(cookie ? { Cookie: cookie } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    })

/** What a raw request got back. */
export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * Sends a request exactly as written, path and headers untouched by any URL parser, over a real
 * socket. `fetch` would tidy `..` and refuse CR/LF before sending; a hostile client does neither.
 */
export function rawRequest(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers, insecureHTTPParser: true }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      )
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}
