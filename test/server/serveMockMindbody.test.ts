import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createMockMindbody,
  serveMockMindbody,
  type MockMindbody,
  type MockMindbodyServer,
} from '../../src/testing'
import { startProxy } from './startProxy'

/**
 * `serveMockMindbody` as the development recipe uses it: the mock over HTTP on loopback, and a real
 * `createMindbodyProxy` in front of it, over real sockets.
 */
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })
const CLASSES = { Classes: [{ Id: 1, Name: 'Morning Flow' }] }

/** An endpoint of the app's own, in front of the mock's: today's classes, for a token the mock issued. */
const classes = (mindbody: MockMindbody) =>
  http.get('*/public/v6/class/classes', ({ request }) =>
    mindbody.isValid(request.headers.get('Authorization') ?? '', request.headers.get('SiteId') ?? '')
      ? HttpResponse.json(CLASSES)
      : HttpResponse.json({ Error: { Message: 'Invalid token.', Code: 'DeniedAccess' } }, { status: 401 }),
  )

const closing: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close()
})

/** The mock served, and the proxy in front of it; `call` is what a same-origin page sends to the proxy. */
async function proxyInFrontOf(mock: MockMindbodyServer) {
  closing.push(mock.close)
  const proxy = await startProxy(mock.url)
  closing.push(proxy.close)
  const call = (path: string, init: RequestInit = {}, cookie = '') =>
    fetch(`${proxy.origin}/mindbody${path}`, {
      ...init,
      headers: {
        'X-Mindbody-Proxy': '1',
        Origin: proxy.origin,
        SiteId: '-99',
        'Content-Type': 'application/json',
        ...(cookie ? { Cookie: cookie } : {}),
      },
    })
  const signIn = async () => {
    const issued = await call('/public/v6/usertoken/issue', { method: 'POST', body: STAFF })
    expect(issued.status).toBe(200)
    return issued.headers.get('Set-Cookie')!.split(';')[0]!
  }
  return { call, signIn }
}

describe('serveMockMindbody', () => {
  it('is the upstream of a real proxy: signs in, forwards a call, signs out', async () => {
    const mindbody = createMockMindbody()
    const mock = await serveMockMindbody({ handlers: [classes(mindbody), ...mindbody.handlers] })
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const { call, signIn } = await proxyInFrontOf(mock)

    const cookie = await signIn()
    expect(mindbody.validTokens()).toHaveLength(1)
    const session = await call('/session', {}, cookie)
    expect(await session.json()).toMatchObject({ User: { FirstName: 'Ada', LastName: 'Lovelace' } })

    const forwarded = await call('/public/v6/class/classes', {}, cookie)
    expect(forwarded.status).toBe(200)
    expect(await forwarded.json()).toEqual(CLASSES)

    const signedOut = await call('/public/v6/usertoken/revoke', { method: 'DELETE' }, cookie)
    expect(signedOut.status).toBe(200)
    expect(mindbody.validTokens()).toEqual([])
  })

  it("answers an endpoint it lacks with Mindbody's JSON 404, which the proxy passes on", async () => {
    const { call, signIn } = await proxyInFrontOf(await serveMockMindbody())
    const cookie = await signIn()
    const missing = await call('/public/v6/sale/sales?request.limit=5', {}, cookie)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({
      Error: {
        Message:
          'The mock Mindbody has no GET /public/v6/sale/sales: put a handler of yours in front of its handlers.',
        Code: 'NotFound',
      },
    })
  })

  it("answers Mindbody's refusals, and drops the connection for a network error", async () => {
    const mindbody = createMockMindbody()
    const mock = await serveMockMindbody({ handlers: mindbody.handlers })
    const { call } = await proxyInFrontOf(mock)
    const wrong = await call('/public/v6/usertoken/issue', {
      method: 'POST',
      body: JSON.stringify({ Username: 'demo.staff', Password: 'not-it' }),
    })
    expect(wrong.status).toBe(403)
    expect(await wrong.json()).toMatchObject({ Error: { Code: 'DeniedAccess' } })

    mindbody.fail('network-error')
    await expect(
      fetch(`${mock.url}/public/v6/usertoken/issue`, { method: 'POST', body: STAFF }),
    ).rejects.toThrow()
    const dropped = await call('/public/v6/usertoken/issue', { method: 'POST', body: STAFF })
    expect(dropped.status).toBe(502)
  })

  it('listens on the port it is given, and close frees it', async () => {
    const first = await serveMockMindbody()
    const port = Number(new URL(first.url).port)
    await first.close()
    const again = await serveMockMindbody({ port })
    expect(again.url).toBe(`http://127.0.0.1:${port}`)
    const issued = await fetch(`${again.url}/public/v6/usertoken/issue`, {
      method: 'POST',
      headers: { SiteId: '-99', 'Content-Type': 'application/json' },
      body: STAFF,
    })
    expect(await issued.json()).toMatchObject({ User: { FirstName: 'Ada' } })
    await again.close()
    await expect(fetch(`${again.url}/public/v6/usertoken/issue`, { method: 'POST' })).rejects.toThrow()
  })
})
