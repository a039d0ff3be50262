import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequest, sendResponse } from '@remix-run/node-fetch-server'
import { getResponse, http, HttpResponse, type HttpHandler } from 'msw'
import { createMockMindbody, type MockMindbody, type MockMindbodyOptions } from '../../src/testing'

/** A request as the stand-in saw it. */
export interface SeenRequest {
  method: string
  /** The path as sent on the wire. */
  path: string
  /** The path as the stand-in read it: decoded and with its dot segments removed, as IIS and most servers do. */
  decoded: string
  headers: Headers
  body: string
}

/** The staff list the stand-in serves, to show a forwarded call. */
export const STAFF_LIST = { StaffMembers: [{ Id: 1, FirstName: 'Ada', LastName: 'Lovelace' }] }

/** Reads a path as RFC 3986 lets a server: every escape decoded, `;` parameters and dot segments removed. */
export function decodePath(path: string): string {
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // kept as sent
  }
  const segments: string[] = []
  for (const segment of decoded.replace(/\\/g, '/').split('/').slice(1)) {
    const name = segment.split(';')[0]!
    if (name === '..') segments.pop()
    else if (name !== '.') segments.push(name)
  }
  return '/' + segments.join('/')
}

/**
 * A loopback stand-in for Mindbody: a real HTTP server answering with the stateful mock's handlers,
 * plus a staff list that needs a valid token. It reads paths as a server that decodes them would
 * (`decodePath`), answers 404 where nothing matches, and records every request that reached it.
 */
export async function startStandIn(options?: MockMindbodyOptions) {
  const mindbody: MockMindbody = createMockMindbody(options)
  const seen: SeenRequest[] = []
  const extra: HttpHandler[] = [
    http.get('*/public/v6/staff/staff', ({ request }) =>
      mindbody.isValid(request.headers.get('Authorization') ?? '')
        ? HttpResponse.json(STAFF_LIST, { headers: { 'Set-Cookie': 'upstream=1', 'X-Upstream': 'yes' } })
        : HttpResponse.json({ Error: { Message: 'Invalid token.', Code: 'DeniedAccess' } }, { status: 401 }),
    ),
  ]
  const handlers: HttpHandler[] = [...extra, ...mindbody.handlers]
  const server: Server = createServer(async (req, res) => {
    const raw = req.url ?? '/'
    const [path = '/', query] = raw.split('?')
    const decoded = decodePath(path)
    req.url = decoded + (query === undefined ? '' : `?${query}`)
    const request = createRequest(req, res)
    const body = await request.clone().text()
    seen.push({ method: request.method, path, decoded, headers: request.headers, body })
    const response = await getResponse(handlers, request)
    if (response?.type === 'error') return void res.destroy()
    await sendResponse(res, response ?? HttpResponse.json({ Error: { Code: 'NotFound' } }, { status: 404 }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    mindbody,
    seen,
    /** Adds handlers in front of the others. */
    use: (...more: HttpHandler[]) => void handlers.unshift(...more),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
