// @vitest-environment node
import { getResponse, http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createUserTokenApi, MindbodyError } from '../../src'
import { createMockMindbody, demoStaff } from '../../src/testing'
import { server, STAFF, serveMockMindbody } from '../server'

const api = createUserTokenApi({ siteId: -99 })
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: MindbodyError) => e,
  )

describe('createMockMindbody', () => {
  it('signs in every demo account, owners with Id 0', async () => {
    serveMockMindbody()
    const users = await Promise.all(demoStaff.map((s) => api.issue(s).then((t) => t.User)))
    expect(users).toContainEqual(expect.objectContaining({ Id: 0, Type: 'Owner' }))
  })

  it('answers a wrong password as Mindbody does: 403 DeniedAccess', async () => {
    serveMockMindbody()
    expect(await failure(api.issue({ Username: 'demo.staff', Password: 'nope' }))).toMatchObject({
      status: 403,
      code: 'DeniedAccess',
      message: 'Staff identity authentication failed.',
    })
  })

  it('issues tokens that live for the configured lifetime and expire', async () => {
    const { mindbody } = serveMockMindbody({ lifetimeMs: 1 })
    const { AccessToken, Expires } = await api.issue(STAFF)
    expect(Date.parse(Expires!) - Date.now()).toBeLessThanOrEqual(1)
    await new Promise((r) => setTimeout(r, 5))
    expect(mindbody.isValid(AccessToken)).toBe(false)
    expect(await failure(api.renew(AccessToken))).toMatchObject({ status: 401 })
  })

  it('renews by 24 hours from the current expiry, seven times at most', async () => {
    serveMockMindbody()
    const { AccessToken, Expires } = await api.issue(STAFF)
    let last = Date.parse(Expires!)
    for (let i = 0; i < 7; i++) {
      const next = Date.parse((await api.renew(AccessToken)).Expires!)
      expect(next - last).toBe(24 * 3600_000)
      last = next
    }
    expect(await failure(api.renew(AccessToken))).toMatchObject({ status: 400 })
  })

  it('scopes tokens to their site', async () => {
    const { mindbody } = serveMockMindbody()
    const { AccessToken } = await api.issue(STAFF)
    expect(mindbody.isValid(AccessToken, -99)).toBe(true)
    expect(mindbody.isValid(AccessToken, 5)).toBe(false)
    expect(await failure(createUserTokenApi({ siteId: 5 }).revoke(AccessToken))).toMatchObject({
      status: 401,
    })
  })

  it('requires its Api-Key when given one, answering a missing key 401 as Mindbody does', async () => {
    serveMockMindbody({ apiKey: 'k' })
    expect(await failure(api.issue(STAFF))).toMatchObject({
      status: 401,
      code: 'DeniedAccess',
      message: 'Missing API key',
    })
    expect(await failure(createUserTokenApi({ siteId: -99, apiKey: 'x' }).issue(STAFF))).toMatchObject({
      status: 401,
      message: 'Invalid API key',
    })
    await expect(createUserTokenApi({ siteId: -99, apiKey: 'k' }).issue(STAFF)).resolves.toBeTruthy()
  })

  it('rate-limits with 429 TooManyRequests and a Retry-After', async () => {
    serveMockMindbody({ failure: 'rate-limited', retryAfterSeconds: 7 })
    expect(await failure(api.issue(STAFF))).toMatchObject({
      kind: 'http',
      status: 429,
      code: 'TooManyRequests',
      retryAfterMs: 7000,
    })
  })

  it.each([
    ['token', 'the whole token'],
    ['expires', 'only Expires'],
    ['empty-object', '{}'],
    ['empty-body', 'an empty 200'],
    ['no-content', 'a 204'],
  ] as const)('renews for real whatever it answers: %s (%s)', async (answer, _description) => {
    const { mindbody } = serveMockMindbody({ renewAnswer: answer })
    const token = await api.issue(STAFF)
    const renewed = await api.renew(token)
    const serverSide = mindbody.expiresAt(token.AccessToken)!.getTime()
    expect(serverSide).toBe(Date.parse(token.Expires!) + 24 * 3600_000)
    expect(Date.parse(renewed.Expires!)).toBe(serverSide)
  })

  it('runs its own clock, and says so in a Date header', async () => {
    const { mindbody, requests } = serveMockMindbody({ skewMs: -3_600_000 })
    const dates: string[] = []
    const { server } = await import('../server')
    server.events.on('response:mocked', ({ response }) => void dates.push(response.headers.get('Date')!))
    const { AccessToken, Expires } = await api.issue(STAFF)
    expect(Date.parse(dates[0]!)).toBeLessThan(Date.now() - 3_590_000)
    // Expires is in the server's time; expiresAt is in this device's.
    expect(mindbody.expiresAt(AccessToken)!.getTime()).toBe(Date.parse(Expires!) + 3_600_000)
    mindbody.setSkew(0)
    await api.issue(STAFF)
    expect(Math.abs(Date.parse(dates[1]!) - Date.now())).toBeLessThan(2_000)
    expect(requests).toHaveLength(2)
  })

  it.each([
    ['server-error', 'http'],
    ['html', 'invalid-response'],
    ['network-error', 'network'],
    ['wrong-password', 'http'],
    ['hang-then-abort', 'network'],
    ['rate-limited', 'http'],
  ] as const)('fails with %s until healed', async (mode, kind) => {
    const { mindbody } = serveMockMindbody({ failure: mode, slowMs: 10 })
    expect(await failure(api.issue(STAFF))).toMatchObject({ kind })
    mindbody.fail(null)
    await expect(api.issue(STAFF)).resolves.toBeTruthy()
  })

  it('counts and forgets tokens', async () => {
    const { mindbody } = serveMockMindbody()
    await api.issue(STAFF)
    await api.issue(STAFF)
    expect(mindbody.validTokens()).toHaveLength(2)
    mindbody.reset()
    expect(mindbody.validTokens()).toEqual([])
  })

  it("answers an endpoint it lacks with Mindbody's JSON 404, and leaves the app's own paths alone", async () => {
    const { mindbody } = serveMockMindbody()
    const response = await fetch(
      'https://api.mindbodyonline.com/public/v6/appointment/staffappointments?limit=5',
      {
        headers: { SiteId: '-99' },
      },
    )
    expect(response.status).toBe(404)
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({
      Error: {
        Message:
          'The mock Mindbody has no GET /public/v6/appointment/staffappointments: put a handler of yours in front of its handlers.',
        Code: 'NotFound',
      },
    })
    // A same-origin base URL too: where a dev server would answer its index.html.
    const proxied = await fetch('http://localhost:5173/mindbody/public/v6/sale/checkoutshoppingcart', {
      method: 'POST',
    })
    expect(proxied.status).toBe(404)
    expect(await proxied.json()).toMatchObject({ Error: { Code: 'NotFound' } })
    for (const asset of ['/public/logo.png', '/public/assets/v6/app.js', '/src/main.tsx', '/'])
      expect(
        await getResponse(mindbody.handlers, new Request(`http://localhost:5173${asset}`)),
      ).toBeUndefined()
  })

  it('answers a handler placed in front of it, and 404 only where none is', async () => {
    const mindbody = createMockMindbody({ baseURL: 'https://api.mindbodyonline.com' })
    const classes = http.get('*/public/v6/class/classes', () => HttpResponse.json({ Classes: [] }))
    const handlers = [classes, ...mindbody.handlers]
    const at = (path: string) => getResponse(handlers, new Request(`https://api.mindbodyonline.com${path}`))
    expect(await (await at('/public/v6/class/classes'))!.json()).toEqual({ Classes: [] })
    expect((await at('/public/v6/site/sites'))!.status).toBe(404)
    // Another base URL is not this mock's.
    expect(
      await getResponse(handlers, new Request('https://elsewhere.example/public/v6/site/sites')),
    ).toBeUndefined()
  })

  describe('with persist', () => {
    /** A storage as the browser's, for Node. */
    const memoryStorage = () => {
      const data = new Map<string, string>()
      return {
        data,
        getItem: (key: string) => data.get(key) ?? null,
        setItem: (key: string, value: string) => void data.set(key, value),
      }
    }
    /** The page reloaded: its mock is built afresh, over the same storage. */
    const reload = (persist?: ReturnType<typeof memoryStorage>) => {
      server.resetHandlers()
      return serveMockMindbody({ persist }).mindbody
    }

    it('accepts after a reload the token it issued before, as Mindbody would', async () => {
      const storage = memoryStorage()
      serveMockMindbody({ persist: storage })
      const token = await api.issue(STAFF)

      const afterReload = reload(storage)
      expect(afterReload.isValid(token.AccessToken, -99)).toBe(true)
      const renewed = await api.renew(token.AccessToken)
      expect(Date.parse(renewed.Expires!)).toBe(Date.parse(token.Expires!) + 24 * 3600_000)
      await expect(api.revoke(token.AccessToken)).resolves.toBeUndefined()

      reload(storage)
      expect(await failure(api.renew(token.AccessToken))).toMatchObject({ status: 401 })
    })

    it('forgets every token on reload without it', async () => {
      serveMockMindbody()
      const token = await api.issue(STAFF)
      reload()
      expect(await failure(api.renew(token.AccessToken))).toMatchObject({ status: 401 })
    })

    it('sees what another tab issued, keeps no expired token, and reset forgets the stored ones', async () => {
      const storage = memoryStorage()
      const thisTab = serveMockMindbody({ persist: storage }).mindbody
      const otherTab = createMockMindbody({ persist: storage })
      // The other tab's mock answers its own page's sign-in.
      const { AccessToken } = await (await getResponse(
        otherTab.handlers,
        new Request('http://localhost/mindbody/public/v6/usertoken/issue', {
          method: 'POST',
          headers: { SiteId: '-99', 'Content-Type': 'application/json' },
          body: JSON.stringify(STAFF),
        }),
      ))!.json()
      expect(thisTab.isValid(AccessToken)).toBe(true)
      await expect(api.renew(AccessToken)).resolves.toMatchObject({ AccessToken })

      thisTab.reset()
      expect(otherTab.validTokens()).toEqual([])
      expect(JSON.parse(storage.data.get('react-mindbody-user-token/mock:*')!)).toEqual([])
    })

    it('reads unreadable contents as no tokens, and keeps each base URL apart', async () => {
      const storage = memoryStorage()
      storage.setItem('react-mindbody-user-token/mock:*', '{not json')
      serveMockMindbody({ persist: storage })
      const token = await api.issue(STAFF)
      const elsewhere = createMockMindbody({ persist: storage, baseURL: 'https://other.example/' })
      expect(elsewhere.isValid(token.AccessToken)).toBe(false)
      storage.setItem('react-mindbody-user-token/mock:*', JSON.stringify([['forged', { siteId: '-99' }]]))
      expect(reload(storage).validTokens()).toEqual([])
    })
  })
})
