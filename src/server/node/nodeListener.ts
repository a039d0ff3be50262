import { createRequest, sendResponse } from '@remix-run/node-fetch-server'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { MindbodyProxy } from '../createMindbodyProxy'
import { seamOf } from './nodeSeam'
import { nodeUpstream, type NodeBodies } from './nodeUpstream'
import { letGo, refuse } from '../responses'

/** `response`'s headers for `res.writeHead`, each `Set-Cookie` its own line. */
function headersOf(response: Response): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length) headers['set-cookie'] = cookies
  return headers
}

/**
 * The Node side of `toNodeHandler`, loaded only there: each request as a web `Request` (by
 * `@remix-run/node-fetch-server`, with the socket's address for `clientIp`), the proxy's answer
 * written back, and the proxy's upstream calls, unless its options give a `fetch`, on Node's own
 * HTTP client (`nodeUpstream`), whose answers are piped to the client as they came, never read
 * through a web stream.
 */
export function nodeListener(proxy: MindbodyProxy) {
  const seam = seamOf(proxy)
  const bodies: NodeBodies = new WeakMap()
  seam?.prefer(nodeUpstream(bodies))
  const handle = seam?.handle ?? ((request: Request) => proxy(request))
  return async (req: IncomingMessage, res: ServerResponse) => {
    let request: Request
    try {
      request = createRequest(req, res)
    } catch {
      // A Host that disagrees with HTTP/2's :authority.
      return sendResponse(res, refuse(400, 'Bad request.', 'InvalidParameter'))
    }
    const response = await handle(request, { address: req.socket.remoteAddress ?? '' })
    const source = response.body && bodies.get(response.body)
    if (res.destroyed || request.signal.aborted) {
      // The client has gone: so does the call upstream.
      if (source) source.destroy()
      else letGo(response)
      return
    }
    // Any other body (the proxy's own answers, a given fetch's) is read through its web stream.
    if (!source) return sendResponse(res, response).catch(() => res.destroy())
    // No status text: Node's standard one, never upstream's own words.
    res.writeHead(response.status, headersOf(response))
    // `pipe`, not `pipeline`, which makes and aborts an AbortController per call. Either side failing
    // ends the other: a client gone drops the upstream call, a broken upstream answer is cut short.
    source.once('error', () => res.destroy())
    res.once('close', () => res.writableFinished || source.destroy())
    source.pipe(res)
  }
}
