import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { http, HttpResponse } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MindbodyError } from '../../src/core/MindbodyError'
import { getSiteActivation } from '../../src/server'
import { API_KEY } from './startProxy'
import { startStandIn } from './standIn'

/** `getSiteActivation` against a stand-in Mindbody over a real socket. */
const LINK = 'https://clients.mindbodyonline.com/ActivateLink?code=AbC123'
let standIn: Awaited<ReturnType<typeof startStandIn>>
let answer: (request: Request) => Response
beforeAll(async () => {
  standIn = await startStandIn()
  standIn.use(http.get('*/public/:version/site/activationcode', ({ request }) => answer(request)))
})
afterAll(() => standIn.close())

const activation = (options: Partial<Parameters<typeof getSiteActivation>[0]> = {}) =>
  getSiteActivation({ apiKey: API_KEY, siteId: 123456, baseURL: standIn.url, ...options })

/** What `promise` rejects with, which must be a `MindbodyError` that holds no API key. */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail('resolved'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(MindbodyError)
  expect(JSON.stringify(error)).not.toContain(API_KEY)
  expect((error as Error).message).not.toContain(API_KEY)
  return error as MindbodyError
}

describe('getSiteActivation', () => {
  it('asks with the API key and the site, no token, and answers the code and the link', async () => {
    answer = () => HttpResponse.json({ ActivationCode: 'AbC123', ActivationLink: LINK, Other: 1 })
    const before = standIn.seen.length
    expect(await activation({ version: 6 })).toEqual({ ActivationCode: 'AbC123', ActivationLink: LINK })
    const [seen] = standIn.seen.slice(before)
    expect(seen!.method).toBe('GET')
    expect(seen!.path).toBe('/public/v6/site/activationcode')
    expect(seen!.headers.get('Api-Key')).toBe(API_KEY)
    expect(seen!.headers.get('SiteId')).toBe('123456')
    expect(seen!.headers.get('Authorization')).toBeNull()
  })

  it("fails with Mindbody's refusal as an 'http' MindbodyError, its status and code", async () => {
    answer = () =>
      HttpResponse.json(
        {
          Error: { Message: 'Your developer account is not approved for live access.', Code: 'DeniedAccess' },
        },
        { status: 403 },
      )
    const error = await failure(activation())
    expect(error).toMatchObject({ kind: 'http', status: 403, code: 'DeniedAccess' })
    expect(error.message).toBe('Your developer account is not approved for live access.')
  })

  it('drops a refusal that echoes the API key, message and body', async () => {
    answer = (request) =>
      HttpResponse.json(
        { Error: { Message: `Unknown key ${request.headers.get('Api-Key')}`, Code: 'DeniedAccess' } },
        { status: 401, headers: { 'Retry-After': '2' } },
      )
    const error = await failure(activation())
    expect(error).toMatchObject({ kind: 'http', status: 401, code: 'DeniedAccess', message: 'HTTP 401' })
    expect(error.details).toBeUndefined()
    expect(error.retryAfterMs).toBe(2000)
  })

  it("fails with 'invalid-response' for a success that is not an activation code", async () => {
    for (const body of ['<html>Down for maintenance</html>', '{"ActivationCode":1}', '']) {
      answer = () => new HttpResponse(body, { status: 200, headers: { 'Content-Type': 'application/json' } })
      expect(await failure(activation())).toMatchObject({ kind: 'invalid-response' })
    }
  })

  it("fails with 'network' when Mindbody cannot be reached, and 'aborted' when the signal fires", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    expect(await failure(activation({ baseURL: url }))).toMatchObject({ kind: 'network' })
    answer = () => HttpResponse.json({ ActivationCode: 'x', ActivationLink: LINK })
    const aborted = AbortSignal.abort()
    expect(await failure(activation({ signal: aborted }))).toMatchObject({ kind: 'aborted' })
  })

  it("refuses bad options with 'invalid-input', naming the option, sending nothing", async () => {
    const before = standIn.seen.length
    for (const [options, field] of [
      [{ apiKey: '' }, 'apiKey'],
      [{ apiKey: 'key\r\nX-Evil: 1' }, 'apiKey'],
      [{ siteId: 'abc' }, 'siteId'],
      [{ version: 0 }, 'version'],
      [{ baseURL: 'ftp://mindbody.test' }, 'baseURL'],
      [{ baseURL: 'https://user:pw@mindbody.test' }, 'baseURL'],
    ] as const) {
      const error = await failure(activation(options))
      expect(error).toMatchObject({ kind: 'invalid-input', message: `Invalid ${field}` })
    }
    expect(standIn.seen.slice(before)).toEqual([])
  })

  it('takes a given fetch', async () => {
    const calls: string[] = []
    const result = await activation({
      baseURL: 'https://api.mindbody.test/',
      fetch: async (input) => {
        calls.push(String(input))
        return Response.json({ ActivationCode: 'c', ActivationLink: LINK })
      },
    })
    expect(result.ActivationCode).toBe('c')
    expect(calls).toEqual(['https://api.mindbody.test/public/v6/site/activationcode'])
  })
})

describe('getSiteActivation against the mock of /testing', () => {
  it('answers the site’s code, and says a refused key is the API key’s problem', async () => {
    const mock = await startStandIn({ apiKey: API_KEY, unactivatedSites: [-99] })
    try {
      const baseURL = mock.url
      // The site has not activated the key, and its activation code is what it needs.
      expect(await getSiteActivation({ apiKey: API_KEY, siteId: -99, baseURL })).toEqual({
        ActivationCode: 'mock-activation-n99',
        ActivationLink: expect.stringContaining('mock-activation-n99'),
      })
      const refused = await failure(getSiteActivation({ apiKey: 'another-key', siteId: -99, baseURL }))
      expect(refused).toMatchObject({ kind: 'http', status: 401, code: 'DeniedAccess', problem: 'api-key' })
    } finally {
      await mock.close()
    }
  })
})
