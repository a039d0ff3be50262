import { createRequestListener } from '@remix-run/node-fetch-server'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isHostilePath } from './requestChecks'
import type { MindbodyProxy } from './createMindbodyProxy'

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

/**
 * Runs a web-standard proxy as Node middleware for Express, Connect, Vite's dev server or a plain
 * `http.createServer`, converting with `@remix-run/node-fetch-server`. Requests outside the proxy's
 * `basePath` go to `next` when there is one. It reads the full URL (`originalUrl`), so mounting it on a
 * path (`app.use('/mindbody', …)`) works too; and it refuses a hostile raw path before Node's URL
 * parser could tidy it.
 *
 * @example
 * app.use(toNodeHandler(createMindbodyProxy({ apiKey, secret, siteIds: [-99] })))
 */
export function toNodeHandler(proxy: MindbodyProxy): NodeHandler {
  const listener = createRequestListener(proxy)
  return (req, res, next) => {
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/'
    const path = url.split('?')[0]!
    const mine = path === proxy.basePath || path.startsWith(proxy.basePath + '/')
    if (!mine && path.startsWith('/') && next) return next()
    // An absolute-form target (`GET http://evil/ HTTP/1.1`) is refused too.
    if (!path.startsWith('/') || (mine && isHostilePath(path))) {
      res.writeHead(400, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      res.end(JSON.stringify({ Error: { Message: 'Invalid path.', Code: 'InvalidParameter' } }))
      return
    }
    req.url = url
    void listener(req, res)
  }
}
