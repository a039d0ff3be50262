import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequest, sendResponse } from '@remix-run/node-fetch-server'
import { getResponse, http, HttpResponse, type HttpHandler } from 'msw'
import { createMockMindbody, type MockMindbody, type MockMindbodyOptions } from '../../src/testing'

/** A request as the stand-in saw it. */
export interface SeenRequest {
  method: string
  path: string
  headers: Headers
  body: string
}

/** The staff list the stand-in serves, to show a forwarded call. */
export const STAFF_LIST = { StaffMembers: [{ Id: 1, FirstName: 'Ada', LastName: 'Lovelace' }] }

/**
 * A loopback stand-in for Mindbody: a real HTTP server answering with the stateful mock's handlers,
 * plus a staff list that needs a valid token. It records every request that reached it.
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
    const request = createRequest(req, res)
    const body = await request.clone().text()
    seen.push({ method: request.method, path: new URL(request.url).pathname, headers: request.headers, body })
    const response = await getResponse(handlers, request)
    if (!response || response.type === 'error') return void res.destroy()
    await sendResponse(res, response)
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
