import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { http, HttpResponse } from 'msw'
import { MindbodyError } from '../../src/core'
import {
  createMindbodyProxy,
  memoryLimitStore,
  type LimitStore,
  type MindbodyProxyOptions,
} from '../../src/server'
import { API_KEY, SECRET, startProxy } from './startProxy'
import { STAFF_LIST, startStandIn } from './standIn'

const STAFF = { Username: 'demo.staff', Password: 'demo-password' }
const TOKEN_PATH = '/mindbody/public/v6/usertoken'

let standIn: Awaited<ReturnType<typeof startStandIn>>
let proxy: Awaited<ReturnType<typeof startProxy>>
beforeEach(async () => {
  standIn = await startStandIn()
  proxy = await startProxy(standIn.url)
})
afterEach(async () => {
  await proxy.close()
  await standIn.close()
})

/** What a same-origin page sends: the CSRF header, its Origin, its site. */
const call = (path: string, init: RequestInit & { cookie?: string } = {}) =>
  fetch(proxy.origin + path, {
    ...init,
    headers: {
      'X-Mindbody-Proxy': '1',
      Origin: proxy.origin,
      SiteId: '-99',
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(init.cookie ? { Cookie: init.cookie } : {}),
      ...init.headers,
    },
  })
const cookieOf = (response: Response) => response.headers.get('Set-Cookie')!.split(';')[0]!
const signIn = async (credentials = STAFF) => {
  const response = await call(`${TOKEN_PATH}/issue`, { method: 'POST', body: JSON.stringify(credentials) })
  return { response, cookie: response.ok ? cookieOf(response) : '' }
}
const accessTokens = () => standIn.mindbody.validTokens()

/**
 * A proxy started with `options` wrong: each request under its base path answers 500 naming the
 * problem, nothing reaches Mindbody, the rest of the app is served, and one log line says it, with
 * no secret in the answers or the log. Answers the message of the first answer.
 */
async function misconfigured(options: Partial<MindbodyProxyOptions>) {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
  const broken = await startProxy(standIn.url, options)
  try {
    const same = { 'X-Mindbody-Proxy': '1', Origin: broken.origin, SiteId: '-99' }
    const answers = [
      await fetch(`${broken.origin}${TOKEN_PATH}/issue`, {
        method: 'POST',
        headers: { ...same, 'Content-Type': 'application/json' },
        body: JSON.stringify(STAFF),
      }),
      await fetch(`${broken.origin}/mindbody/session`, { headers: same }),
    ]
    const messages: string[] = []
    for (const answer of answers) {
      expect(answer.status).toBe(500)
      expect(answer.headers.get('Set-Cookie')).toBeNull()
      const body = await answer.json()
      expect(body).toEqual({ Error: { Code: 'InternalError', Message: expect.any(String) } })
      messages.push(body.Error.Message)
    }
    expect(standIn.seen).toHaveLength(0)
    expect(await (await fetch(`${broken.origin}/elsewhere`)).text()).toBe('the rest of the app')
    expect(errors).toHaveBeenCalledOnce()
    const said = [String(errors.mock.calls[0]![0]), ...messages].join('\n')
    for (const secret of [options.secret, options.apiKey].flat())
      if (secret) expect(said).not.toContain(secret)
    expect(String(errors.mock.calls[0]![0])).toContain(messages[0]!.replace(/^.*?misconfigured: /, ''))
    return messages[0]!
  } finally {
    errors.mockRestore()
    await broken.close()
  }
}

describe('createMindbodyProxy over real sockets', () => {
  it('signs in with the key, seals the token into an HttpOnly cookie, and answers without AccessToken', async () => {
    const { response, cookie } = await signIn()
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body).toMatchObject({ User: { FirstName: 'Ada', Type: 'Staff' }, TokenType: 'Bearer' })
    expect(body).not.toHaveProperty('AccessToken')
    expect(response.headers.get('Cache-Control')).toBe('no-store')

    const setCookie = response.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(
      /^mindbody-session\.-99=[^;]+; Path=\/mindbody; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    )
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)![1])
    expect(maxAge).toBeGreaterThan(24 * 3600 - 60)
    expect(maxAge).toBeLessThanOrEqual(24 * 3600)

    const [token] = accessTokens()
    expect(setCookie).not.toContain(token)
    expect(cookie).not.toContain(token)
    // The issue, then the staff member's permissions (which the stand-in does not know).
    const upstream = standIn.seen.at(-2)!
    expect(upstream.path).toBe('/public/v6/usertoken/issue')
    expect(standIn.seen.at(-1)!.path).toBe('/public/v6/staff/staffpermissions')
    expect(upstream.headers.get('Api-Key')).toBe(API_KEY)
    expect(upstream.headers.get('SiteId')).toBe('-99')
    expect(JSON.parse(upstream.body)).toEqual(STAFF)
  })

  it('restores with GET /session, forwards calls with the token, renews and revokes', async () => {
    const { cookie } = await signIn()
    const [token] = accessTokens()

    const session = await call('/mindbody/session', { cookie })
    expect(session.status).toBe(200)
    expect(await session.json()).toMatchObject({ User: { FirstName: 'Ada' } })

    const staff = await call('/mindbody/public/v6/staff/staff?limit=5', { cookie })
    expect(await staff.json()).toEqual(STAFF_LIST)
    expect(staff.headers.get('Set-Cookie')).toBeNull()
    expect(staff.headers.get('X-Upstream')).toBeNull()
    const forwarded = standIn.seen.at(-1)!
    expect(forwarded.headers.get('Authorization')).toBe(token)
    expect(forwarded.headers.get('Api-Key')).toBe(API_KEY)

    const before = Date.parse((await (await call('/mindbody/session', { cookie })).json()).Expires)
    const renewed = await call(`${TOKEN_PATH}/renew`, { method: 'POST', cookie })
    expect(renewed.status).toBe(200)
    const renewedBody = await renewed.json()
    expect(Date.parse(renewedBody.Expires)).toBe(before + 24 * 3600_000)
    expect(renewedBody).not.toHaveProperty('AccessToken')
    const resealed = cookieOf(renewed)
    expect(standIn.seen.at(-1)!.headers.get('Content-Type')).toBeNull()

    const revoked = await call(`${TOKEN_PATH}/revoke`, { method: 'DELETE', cookie: resealed })
    expect(revoked.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    expect(standIn.mindbody.isValid(token!)).toBe(false)
    // Signed out is an answer, not an error: 200 and null, so the browser logs nothing.
    const signedOut = await call('/mindbody/session')
    expect([signedOut.status, await signedOut.json()]).toEqual([200, null])
    const bad = await call('/mindbody/session', { cookie: 'mindbody-session.-99=not-a-sealed-value' })
    expect([bad.status, await bad.json()]).toEqual([200, null])
    expect(bad.headers.get('Set-Cookie')).toMatch(/^mindbody-session\.-99=; Path=\/mindbody; Max-Age=0;/)
  })

  it('renews the way the library does: a 204 moves Expires on by 24 hours', async () => {
    standIn.mindbody.answerRenewWith('no-content')
    const { cookie, response } = await signIn()
    const issued = Date.parse((await response.json()).Expires)
    const renewed = await call(`${TOKEN_PATH}/renew`, { method: 'POST', cookie })
    expect(Date.parse((await renewed.json()).Expires)).toBe(issued + 24 * 3600_000)
  })

  it("passes Mindbody's errors through unchanged, and a dead token's 401 clears the cookie", async () => {
    const wrong = await signIn({ Username: 'demo.staff', Password: 'wrong' })
    expect(wrong.response.status).toBe(403)
    expect(await wrong.response.json()).toEqual({
      Error: { Message: 'Staff identity authentication failed.', Code: 'DeniedAccess' },
    })

    const { cookie } = await signIn()
    standIn.mindbody.reset()
    const renew = await call(`${TOKEN_PATH}/renew`, { method: 'POST', cookie })
    expect(renew.status).toBe(401)
    expect(renew.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
  })

  it('keeps one session per site: signing in again revokes the token the cookie held', async () => {
    const { cookie } = await signIn()
    const [first] = accessTokens()
    const again = await call(`${TOKEN_PATH}/issue`, { method: 'POST', body: JSON.stringify(STAFF), cookie })
    expect(again.status).toBe(200)
    expect(standIn.mindbody.isValid(first!)).toBe(false)
    expect(accessTokens()).toHaveLength(1)
  })

  it('sets the Secure flag and a __Secure- name by default', async () => {
    const secure = await startProxy(standIn.url, { secure: true })
    try {
      const response = await fetch(`${secure.origin}${TOKEN_PATH}/issue`, {
        method: 'POST',
        headers: { 'X-Mindbody-Proxy': '1', 'Sec-Fetch-Site': 'same-origin', SiteId: '-99' },
        body: JSON.stringify(STAFF),
      })
      expect(response.headers.get('Set-Cookie')).toMatch(/^__Secure-mindbody-session\.-99=.*; Secure$/)
    } finally {
      await secure.close()
    }
  })

  it('opens cookies sealed with an older secret, and seals with the first', async () => {
    const { cookie } = await signIn()
    const rotated = await startProxy(standIn.url, {
      secret: ['a-brand-new-secret-of-at-least-32-chars!', SECRET],
    })
    const retired = await startProxy(standIn.url, { secret: 'a-brand-new-secret-of-at-least-32-chars!' })
    try {
      const headers = { SiteId: '-99', Cookie: cookie }
      expect((await fetch(`${rotated.origin}/mindbody/session`, { headers })).status).toBe(200)
      // A cookie no secret opens is no session: signed out, and the cookie cleared.
      const retiredAnswer = await fetch(`${retired.origin}/mindbody/session`, { headers })
      expect([retiredAnswer.status, await retiredAnswer.json()]).toEqual([200, null])
      expect(retiredAnswer.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    } finally {
      await rotated.close()
      await retired.close()
    }
  })

  it('passes other paths to the next middleware', async () => {
    const response = await fetch(`${proxy.origin}/elsewhere`)
    expect(await response.text()).toBe('the rest of the app')
    expect(standIn.seen).toHaveLength(0)
  })

  it('reads its options at the first request: none are needed to create it, as next build does', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const env: Record<string, string | undefined> = {}
    const proxy = createMindbodyProxy({
      apiKey: env.MINDBODY_API_KEY!,
      secret: env.MINDBODY_SESSION_SECRET!,
      siteIds: [Number(env.NEXT_PUBLIC_MINDBODY_SITE_ID)],
      origins: env.APP_ORIGIN?.split(','),
      basePath: '/api/mindbody',
    })
    expect(proxy.basePath).toBe('/api/mindbody')
    expect(errors).not.toHaveBeenCalled()
    const answer = await proxy(
      new Request('http://localhost/api/mindbody/session', { headers: { SiteId: '-99' } }),
    )
    expect(answer.status).toBe(500)
    expect((await answer.json()).Error.Message).toBe(
      'The Mindbody proxy is misconfigured: Invalid secret: it is missing; each must be a string of at least 32 characters',
    )
    expect(errors).toHaveBeenCalledOnce()
    errors.mockRestore()
  })

  it('answers 500 naming a missing or short secret, and an API key that is missing or cannot be a header', async () => {
    expect(await misconfigured({ secret: undefined })).toBe(
      'The Mindbody proxy is misconfigured: Invalid secret: it is missing; each must be a string of at least 32 characters',
    )
    expect(await misconfigured({ secret: 'short' })).toMatch(
      /Invalid secret: each must be a string of at least 32/,
    )
    expect(await misconfigured({ secret: [SECRET, 'short'] })).toMatch(/Invalid secret/)
    expect(await misconfigured({ apiKey: '' })).toMatch(/Invalid apiKey: it is missing/)
    expect(await misconfigured({ apiKey: 'a\r\nb' })).toMatch(
      /Invalid apiKey: it must be a header-safe string/,
    )
    expect(await misconfigured({ siteIds: [Number(undefined)] })).toMatch(/Invalid siteIds/)
    // A deadline of nothing would fail every call at once.
    expect(await misconfigured({ upstreamTimeoutMs: Number.NaN })).toMatch(/Invalid upstreamTimeoutMs/)
    expect(await misconfigured({ storeTimeoutMs: -1 })).toMatch(/Invalid storeTimeoutMs/)
  })

  it('answers 500 for origins that are not origins, saying what one looks like', async () => {
    for (const origins of [['portal.example'], ['null'], ['']])
      expect(await misconfigured({ origins })).toMatch(
        /Invalid origins: .* is not an origin such as https:\/\/portal\.example/,
      )
  })

  it('throws the wrong option from proxy.sessions at once, rather than listing anything', () => {
    const proxy = createMindbodyProxy({ apiKey: API_KEY, secret: 'short', siteIds: [-99] })
    expect(() => proxy.sessions.list({ siteId: -99 })).toThrow(MindbodyError)
    expect(() => proxy.sessions.revoke({ siteId: -99 })).toThrow(/Invalid secret/)
  })

  it('fails at once with a MindbodyError, not an unhandled rejection, where there is no Web Crypto', () => {
    // Node 18 without a flag has no global crypto.
    vi.stubGlobal('crypto', undefined)
    try {
      const make = () => createMindbodyProxy({ apiKey: API_KEY, secret: SECRET, siteIds: [-99] })
      expect(make).toThrow(MindbodyError)
      expect(make).toThrow(/crypto\.subtle.*Node 20\.19/)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('the cookie inside a cross-site iframe', () => {
  /** The widget's own origin, where the proxy is; the studio's website embeds it in an iframe. */
  const PORTAL = 'https://portal.example'
  const framed = (init: RequestInit & { origin?: string; csrf?: boolean }) => ({
    ...init,
    headers: {
      ...(init.csrf === false ? {} : { 'X-Mindbody-Proxy': '1' }),
      Origin: init.origin ?? PORTAL,
      SiteId: '-99',
      'Content-Type': 'application/json',
      ...init.headers,
    },
  })

  it('sets and clears SameSite=None; Secure; Partitioned, and keeps the CSRF header and Origin checks', async () => {
    const iframe = await startProxy(standIn.url, {
      secure: true,
      cookie: { sameSite: 'none', partitioned: true },
      origins: [PORTAL],
    })
    try {
      const issue = (init: Parameters<typeof framed>[0]) =>
        fetch(
          `${iframe.origin}${TOKEN_PATH}/issue`,
          framed({ method: 'POST', body: JSON.stringify(STAFF), ...init }),
        )
      const signedIn = await issue({})
      expect(signedIn.status).toBe(200)
      expect(signedIn.headers.get('Set-Cookie')).toMatch(
        /^__Secure-mindbody-session\.-99=[^;]+; Path=\/mindbody; Max-Age=\d+; HttpOnly; SameSite=None; Secure; Partitioned$/,
      )
      const cookie = cookieOf(signedIn)
      // A browser deletes a partitioned cookie only with a Set-Cookie that says Partitioned too.
      const signedOut = await fetch(
        `${iframe.origin}${TOKEN_PATH}/revoke`,
        framed({ method: 'DELETE', headers: { Cookie: cookie } }),
      )
      expect(signedOut.headers.get('Set-Cookie')).toMatch(
        /^__Secure-mindbody-session\.-99=; Path=\/mindbody; Max-Age=0; HttpOnly; SameSite=None; Secure; Partitioned$/,
      )

      const before = standIn.seen.length
      expect((await issue({ csrf: false })).status).toBe(403)
      // The embedding site is not the widget's origin: a script of its own page cannot sign in.
      expect((await issue({ origin: 'https://studio.example' })).status).toBe(403)
      expect(standIn.seen.length).toBe(before)
    } finally {
      await iframe.close()
    }
  })

  it('answers 500 for SameSite=None or Partitioned without Secure, and an unknown SameSite', async () => {
    for (const cookie of [{ sameSite: 'none' }, { partitioned: true }] as const)
      expect(await misconfigured({ secure: false, cookie })).toMatch(
        /'none' or partitioned need secure: true/,
      )
    expect(await misconfigured({ cookie: { sameSite: 'None' as 'none' } })).toMatch(/Invalid cookie/)
  })
})

describe('the sign-in limit', () => {
  it('answers the sixth failure with 429 and Retry-After, sending nothing upstream', async () => {
    const wrong = { Username: 'demo.staff', Password: 'wrong' }
    for (let i = 0; i < 5; i++) expect((await signIn(wrong)).response.status).toBe(403)
    const upstreamCalls = standIn.seen.length
    const sixth = (await signIn(wrong)).response
    expect(sixth.status).toBe(429)
    expect(Number(sixth.headers.get('Retry-After'))).toBe(15 * 60)
    expect(await sixth.json()).toMatchObject({ Error: { Code: 'TooManyRequests' } })
    expect((await signIn(STAFF)).response.status).toBe(429)
    expect(standIn.seen.length).toBe(upstreamCalls)
    // Another username is not held back.
    expect((await signIn({ Username: 'demo.owner', Password: 'demo-password' })).response.status).toBe(200)
  })

  it('forgets the failures after a successful sign-in', async () => {
    const wrong = { Username: 'demo.staff', Password: 'wrong' }
    for (let i = 0; i < 4; i++) await signIn(wrong)
    expect((await signIn()).response.status).toBe(200)
    for (let i = 0; i < 5; i++) expect((await signIn(wrong)).response.status).toBe(403)
  })

  it('honours a custom limitStore, with hashed keys that hold no username', async () => {
    const keys: string[] = []
    const inner = memoryLimitStore()
    const limitStore: LimitStore = {
      hit: (key, windowMs) => (keys.push(key), inner.hit(key, windowMs)),
      reset: (key) => inner.reset!(key),
    }
    const limited = await startProxy(standIn.url, {
      limitStore,
      signInLimit: { max: 2, windowMs: 60_000 },
      clientIp: () => '203.0.113.7',
    })
    try {
      const attempt = () =>
        fetch(`${limited.origin}${TOKEN_PATH}/issue`, {
          method: 'POST',
          headers: { 'X-Mindbody-Proxy': '1', Origin: limited.origin, SiteId: '-99' },
          body: JSON.stringify({ Username: 'demo.staff', Password: 'wrong' }),
        })
      expect((await attempt()).status).toBe(403)
      expect((await attempt()).status).toBe(403)
      expect((await attempt()).status).toBe(429)
      expect(keys.length).toBeGreaterThanOrEqual(5)
      expect(keys.join(' ')).not.toMatch(/demo|staff|203\.0\.113/)
    } finally {
      await limited.close()
    }
  })

  it('limits by IP too, 20 a window, when clientIp is given', async () => {
    const limited = await startProxy(standIn.url, { clientIp: () => '198.51.100.1' })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 21; i++) {
        const response = await fetch(`${limited.origin}${TOKEN_PATH}/issue`, {
          method: 'POST',
          headers: { 'X-Mindbody-Proxy': '1', Origin: limited.origin, SiteId: '-99' },
          body: JSON.stringify({ Username: `user-${i}`, Password: 'wrong' }),
        })
        statuses.push(response.status)
      }
      expect(statuses.slice(0, 20).every((s) => s === 403)).toBe(true)
      expect(statuses[20]).toBe(429)
    } finally {
      await limited.close()
    }
  })
})

describe('streaming and headers', () => {
  it('streams a forwarded answer and drops hop-by-hop headers', async () => {
    standIn.use(
      http.get('*/public/v6/class/classes', () => {
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"Classes":'))
            controller.enqueue(new TextEncoder().encode('[]}'))
            controller.close()
          },
        })
        return new HttpResponse(stream, {
          headers: { 'Content-Type': 'application/json', Connection: 'close', 'Set-Cookie': 'x=1' },
        })
      }),
    )
    const { cookie } = await signIn()
    const response = await call('/mindbody/public/v6/class/classes', { cookie })
    expect(await response.json()).toEqual({ Classes: [] })
    expect(response.headers.get('Set-Cookie')).toBeNull()
  })
})
