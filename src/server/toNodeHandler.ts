import { createRequestListener } from '@remix-run/node-fetch-server'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { canonicalPath, isWellFormedHost } from './canonicalPath'
import type { MindbodyProxy } from './createMindbodyProxy'
import type { ClientAddress } from './proxyOptions'
import { METHODS } from './requestChecks'
import { socketAddresses } from './socketAddresses'

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

const refuse = (res: ServerResponse, status: number, Message: string, Code: string) => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify({ Error: { Message, Code } }))
}

/**
 * Runs a web-standard proxy as Node middleware for Express, Connect, Vite's dev server or a plain
 * `http.createServer`, converting with `@remix-run/node-fetch-server`, and hands the proxy the socket's
 * address (for `clientIp`). Requests outside the proxy's `basePath` go to `next` when there is one. It
 * reads the full URL (`originalUrl`), so mounting it on a path (`app.use('/mindbody', …)`) works too. It
 * refuses, as the proxy would, a path that is not canonical as sent, before Node's URL parser could tidy
 * it, an unknown method and a malformed `Host`; and it never prints an error.
 *
 * @example
 * app.use(toNodeHandler(createMindbodyProxy({ apiKey, secret, siteIds: [-99], origins: ['https://portal.example'] })))
 */
export function toNodeHandler(proxy: MindbodyProxy): NodeHandler {
  const listener = createRequestListener(
    (request: Request, client: ClientAddress) => {
      socketAddresses.set(request, client)
      return proxy(request)
    },
    {
      onError: () =>
        Response.json({ Error: { Message: 'Bad request.', Code: 'InvalidParameter' } }, { status: 400 }),
    },
  )
  return (req, res, next) => {
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/'
    const path = url.split('?')[0]!
    const mine = path === proxy.basePath || path.startsWith(proxy.basePath + '/')
    if (!mine && path.startsWith('/') && next) return next()
    // An absolute-form target (`GET http://evil/ HTTP/1.1`) is refused too.
    if (!path.startsWith('/') || (mine && path !== proxy.basePath && !canonicalPath(path, proxy.basePath)))
      return refuse(res, 400, 'Invalid path.', 'InvalidParameter')
    if (!METHODS.has(req.method ?? '')) return refuse(res, 405, 'Method not allowed.', 'MethodNotAllowed')
    const hosts = req.headersDistinct?.host ?? []
    if (hosts.length !== 1 || !isWellFormedHost(hosts[0]!))
      return refuse(res, 400, 'Invalid Host.', 'InvalidParameter')
    req.url = url
    void listener(req, res)
  }
}
