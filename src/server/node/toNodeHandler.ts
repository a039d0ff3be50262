import type { IncomingMessage, ServerResponse } from 'node:http'
import { canonicalPath, isWellFormedHost } from '../canonicalPath'
import type { MindbodyProxy } from '../createMindbodyProxy'
import { METHODS } from '../requestChecks'
import { errorBody } from '../responses'

/**
 * A Node middleware: `(req, res, next?) => void`.
 *
 * @example
 * const middleware: NodeHandler = toNodeHandler(proxy)
 */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void

/** Every `Host` header of `req`, as sent. */
function hostsOf(req: IncomingMessage): string[] {
  const hosts: string[] = []
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    if (req.rawHeaders[i]!.toLowerCase() === 'host') hosts.push(req.rawHeaders[i + 1]!)
  return hosts
}

const refuse = (res: ServerResponse, status: number, Message: string, Code: string) => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(errorBody(Message, Code)))
}

/**
 * Runs a web-standard proxy as Node middleware for Express, Connect, Vite's dev server or a plain
 * `http.createServer`, converting with `@remix-run/node-fetch-server`, and hands the proxy the socket's
 * address (for `clientIp`). Unless the proxy's options give a `fetch`, its calls to Mindbody go over
 * Node's own HTTP client with kept-alive connections, and a forwarded answer is piped back as it came.
 * Its Node parts load when it is first called, so importing `/server` loads no Node module. Requests
 * outside the proxy's `basePath` as sent go to `next` when there is one, and are answered 404 when
 * there is none, never handed to the proxy, whose URL has its dot segments resolved. It reads the full
 * URL (`originalUrl`), so mounting it on a path (`app.use('/mindbody', …)`) works too. It refuses, as
 * the proxy would, a path that is not canonical as sent, before Node's URL parser could tidy it, an
 * unknown method and a malformed `Host`; and it never prints an error.
 *
 * @example
 * app.use(toNodeHandler(createMindbodyProxy({ apiKey, secret, siteIds: [-99], origins: ['https://portal.example'] })))
 */
export function toNodeHandler(proxy: MindbodyProxy): NodeHandler {
  const listening = import('./nodeListener').then(({ nodeListener }) => nodeListener(proxy))
  // A failure to load is each request's 500, never an unhandled rejection before the first.
  listening.catch(() => undefined)
  return (req, res, next) => {
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/'
    const path = url.split('?')[0]!
    const mine = path === proxy.basePath || path.startsWith(proxy.basePath + '/')
    // Not under basePath as sent: Node's URL parser would resolve `/x/../mindbody/…` into it.
    if (!mine && path.startsWith('/')) return next ? next() : refuse(res, 404, 'Not found.', 'NotFound')
    // An absolute-form target (`GET http://evil/ HTTP/1.1`) is refused too.
    if (!path.startsWith('/') || (mine && path !== proxy.basePath && !canonicalPath(path, proxy.basePath)))
      return refuse(res, 400, 'Invalid path.', 'InvalidParameter')
    if (!METHODS.has(req.method ?? '')) return refuse(res, 405, 'Method not allowed.', 'MethodNotAllowed')
    const hosts = hostsOf(req)
    if (hosts.length !== 1 || !isWellFormedHost(hosts[0]!))
      return refuse(res, 400, 'Invalid Host.', 'InvalidParameter')
    req.url = url
    listening
      .then((listener) => listener(req, res))
      .catch(() =>
        res.headersSent ? res.destroy() : refuse(res, 500, 'The proxy could not answer.', 'InternalError'),
      )
  }
}
