// @vitest-environment node
import { inspect } from 'node:util'
import { delay, http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createUserTokenApi, MindbodyError, type MindbodyConfig } from '../../src'
import { API, server, STAFF, serveMockMindbody } from '../server'
import { rejection } from '../rejection'

const answer = (
  path: string,
  response: () => Response | Promise<Response>,
  method: 'post' | 'delete' = 'post',
) => server.use(http[method](`${API}/${path}`, response))

describe('createUserTokenApi', () => {
  it('issues a token with the documented request', async () => {
    const { requests, mindbody } = serveMockMindbody()
    const token = await createUserTokenApi({ siteId: -99, apiKey: 'key-123' }).issue(STAFF)

    expect(token).toMatchObject({ TokenType: 'Bearer', User: { FirstName: 'Ada', Type: 'Staff' } })
    expect(mindbody.isValid(token.AccessToken, -99)).toBe(true)
    const [request] = requests
    expect(request!.method).toBe('POST')
    expect(request!.url).toBe(`${API}/issue`)
    expect(request!.headers.get('Api-Key')).toBe('key-123')
    expect(request!.headers.get('SiteId')).toBe('-99')
    expect(request!.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(request!.headers.get('Accept')).toMatch(/application\/json/)
    expect(request!.headers.get('Authorization')).toBeNull()
    expect(await request!.json()).toEqual(STAFF)
  })

  it('sends no Api-Key when none is given, so a proxy can add it', async () => {
    const { requests } = serveMockMindbody()
    await createUserTokenApi({ siteId: 1234 }).issue(STAFF)
    expect(requests[0]!.headers.has('Api-Key')).toBe(false)
  })

  it('builds URLs from a base URL with a trailing slash and from a version number', async () => {
    const { requests } = serveMockMindbody()
    await createUserTokenApi({ siteId: -99, version: 6, baseURL: 'https://api.mindbodyonline.com///' }).issue(
      STAFF,
    )
    expect(requests[0]!.url).toBe(`${API}/issue`)
  })

  it('renews and revokes with the token as it is, as Mindbody documents, or as a Bearer when asked', async () => {
    const { requests, mindbody } = serveMockMindbody()
    const raw = createUserTokenApi({ siteId: -99 })
    const { AccessToken } = await raw.issue(STAFF)
    const renewed = await raw.renew(AccessToken)
    expect(requests[1]!.headers.get('Authorization')).toBe(AccessToken)
    expect(new Date(renewed.Expires!).getTime()).toBeGreaterThan(Date.now() + 36 * 3600_000)
    expect(renewed.AccessToken).toBe(AccessToken)

    await createUserTokenApi({ siteId: -99, authScheme: 'Bearer' }).revoke(AccessToken)
    expect(requests[2]!.method).toBe('DELETE')
    expect(requests[2]!.url).toBe(`${API}/revoke`)
    expect(requests[2]!.headers.get('Authorization')).toBe(`Bearer ${AccessToken}`)
    expect(mindbody.isValid(AccessToken)).toBe(false)
  })

  it('sends Content-Type only with a body', async () => {
    const { requests } = serveMockMindbody()
    const api = createUserTokenApi({ siteId: -99 })
    const token = await api.issue(STAFF)
    await api.renew(token)
    await api.revoke(token.AccessToken)
    expect(requests.map((r) => r.headers.get('Content-Type')?.split(';')[0] ?? null)).toEqual([
      'application/json',
      null,
      null,
    ])
  })

  it('merges a partial renew answer over the token it renewed', async () => {
    answer('renew', () => HttpResponse.json({ Expires: '2030-01-01T00:00:00Z', Surprise: true }))
    await expect(createUserTokenApi({ siteId: -99 }).renew('abc')).resolves.toEqual({
      AccessToken: 'abc',
      Expires: '2030-01-01T00:00:00Z',
    })
  })

  describe('renew: any 2xx is a renewal', () => {
    const token = {
      AccessToken: 'old',
      TokenType: 'Bearer',
      Expires: '2030-01-01T00:00:00Z',
      User: { Id: 7, FirstName: 'Ada', Type: 'Staff' },
    }
    const nextDay = '2030-01-02T00:00:00.000Z'

    it.each([
      ['{}', () => HttpResponse.json({})],
      ['an empty 200', () => new HttpResponse(null, { status: 200 })],
      ['a 204', () => new HttpResponse(null, { status: 204 })],
      ['an HTML page', () => HttpResponse.html('<p>ok</p>')],
      ['a body whose every field is invalid', () => HttpResponse.json({ AccessToken: 42, Expires: 'soon' })],
    ])('%s: the old token, its Expires moved on by 24 hours', async (_name, response) => {
      answer('renew', response)
      await expect(createUserTokenApi({ siteId: -99 }).renew(token)).resolves.toEqual({
        ...token,
        Expires: nextDay,
      })
    })

    it('takes a new AccessToken and Expires from the answer, and keeps what it does not say', async () => {
      answer('renew', () => HttpResponse.json({ AccessToken: 'new', Expires: '2030-01-05T00:00:00Z' }))
      await expect(createUserTokenApi({ siteId: -99 }).renew(token)).resolves.toEqual({
        ...token,
        AccessToken: 'new',
        Expires: '2030-01-05T00:00:00Z',
      })
    })

    it('merges valid fields and skips invalid ones, down into User', async () => {
      answer('renew', () => HttpResponse.json({ User: { FirstName: 'Grace', Id: 'x' }, TokenType: 3 }))
      await expect(createUserTokenApi({ siteId: -99 }).renew(token)).resolves.toEqual({
        ...token,
        Expires: nextDay,
        User: { FirstName: 'Grace' },
      })
    })

    it('reads an Expires without offset as UTC, and leaves a token without Expires without one', async () => {
      answer('renew', () => HttpResponse.json({}))
      const api = createUserTokenApi({ siteId: -99 })
      expect((await api.renew({ AccessToken: 'a', Expires: '2030-01-01T00:00:00' })).Expires).toBe(nextDay)
      await expect(api.renew({ AccessToken: 'a' })).resolves.toEqual({ AccessToken: 'a' })
      await expect(api.renew('a')).resolves.toEqual({ AccessToken: 'a' })
    })

    it('sends the token it renews, and refuses a bad one before sending', async () => {
      const { requests } = serveMockMindbody()
      const api = createUserTokenApi({ siteId: -99 })
      expect(await rejection(api.renew({ AccessToken: 'bad\r\nX-Evil: 1' }))).toMatchObject({
        kind: 'invalid-input',
      })
      expect(await rejection(api.renew(null as never))).toMatchObject({ kind: 'invalid-input' })
      expect(requests).toHaveLength(0)
    })
  })

  describe('rate limits', () => {
    it.each([
      ['seconds', () => '12', 12_000],
      ['an HTTP date', () => new Date(Date.now() + 30_000).toUTCString(), 30_000],
      ['a date in the past', () => new Date(Date.now() - 30_000).toUTCString(), 0],
    ])('reads a 429 with Retry-After in %s as an http error with retryAfterMs', async (_n, header, ms) => {
      answer('issue', () =>
        HttpResponse.json(
          { Error: { Message: 'Too many requests.', Code: 'TooManyRequests' } },
          { status: 429, headers: { 'Retry-After': header() } },
        ),
      )
      const error = await rejection(createUserTokenApi({ siteId: -99 }).issue(STAFF))
      expect(error).toMatchObject({ kind: 'http', status: 429, code: 'TooManyRequests' })
      expect(error.retryAfterMs).toBeGreaterThanOrEqual(ms - 1_000)
      expect(error.retryAfterMs).toBeLessThanOrEqual(ms)
      expect(error.toJSON()).toMatchObject({ retryAfterMs: error.retryAfterMs })
    })

    it('reads a 429 without a body or Retry-After as a plain http error', async () => {
      answer('issue', () => new HttpResponse(null, { status: 429, headers: { 'Retry-After': 'soon' } }))
      const error = await rejection(createUserTokenApi({ siteId: -99 }).issue(STAFF))
      expect(error).toMatchObject({ kind: 'http', status: 429, message: 'HTTP 429' })
      expect(error.code).toBeUndefined()
      expect(error.retryAfterMs).toBeUndefined()
    })
  })

  it.each([
    [
      'the Error envelope',
      401,
      { Error: { Message: 'Staff identity authentication failed.', Code: 'DeniedAccess' } },
      'Staff identity authentication failed.',
      'DeniedAccess',
    ],
    [
      'a 403 envelope',
      403,
      { Error: { Message: 'Forbidden staff.', Code: 'DeniedAccess' } },
      'Forbidden staff.',
      'DeniedAccess',
    ],
    ['a bare Message', 400, { Message: 'Bad SiteId.' }, 'Bad SiteId.', undefined],
    [
      'an Errors list',
      400,
      { Errors: [{ Message: 'First.', Code: 'InvalidParameter' }] },
      'First.',
      'InvalidParameter',
    ],
    ['any other body', 502, '<html>Bad gateway</html>', 'HTTP 502', undefined],
  ])('turns %s into an http error', async (_name, status, body, message, code) => {
    answer('issue', () =>
      typeof body === 'string' ? HttpResponse.html(body, { status }) : HttpResponse.json(body, { status }),
    )
    const error = await rejection(createUserTokenApi({ siteId: -99 }).issue(STAFF))
    expect(error).toMatchObject({ kind: 'http', status, message })
    expect(error.code).toBe(code)
    expect(error.details).toEqual(typeof body === 'string' ? undefined : body)
  })

  it.each([
    ['an HTML maintenance page', () => HttpResponse.html('<h1>Maintenance</h1>')],
    ['an empty body', () => new HttpResponse(null, { status: 200 })],
    ['a 204', () => new HttpResponse(null, { status: 204 })],
    [
      'a redirect',
      () => new HttpResponse(null, { status: 302, headers: { Location: 'https://evil.example/' } }),
    ],
    ['an empty AccessToken', () => HttpResponse.json({ AccessToken: '' })],
    ['a numeric AccessToken', () => HttpResponse.json({ AccessToken: 42 })],
    ['a string User', () => HttpResponse.json({ AccessToken: 'abc', User: 'x' })],
    ['an array', () => HttpResponse.json([{ AccessToken: 'abc' }])],
    [
      'truncated JSON',
      () => new HttpResponse('{"AccessToken":"ab', { headers: { 'Content-Type': 'application/json' } }),
    ],
  ])('rejects %s as an invalid response', async (_name, response) => {
    answer('issue', response)
    expect(await rejection(createUserTokenApi({ siteId: -99 }).issue(STAFF))).toMatchObject({
      kind: 'invalid-response',
    })
  })

  it('keeps only the known fields and ignores __proto__ keys', async () => {
    answer(
      'issue',
      () =>
        new HttpResponse(
          '{"AccessToken":"abc","__proto__":{"polluted":true},"Extra":1,"User":{"Id":0,"Type":"Owner","constructor":{"x":1}}}',
          {
            headers: { 'Content-Type': 'application/json' },
          },
        ),
    )
    const token = await createUserTokenApi({ siteId: -99 }).issue(STAFF)
    expect(token).toEqual({ AccessToken: 'abc', User: { Id: 0, Type: 'Owner' } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reports a server that is down as a network error', async () => {
    answer('issue', () => HttpResponse.error())
    expect(await rejection(createUserTokenApi({ siteId: -99 }).issue(STAFF))).toMatchObject({
      kind: 'network',
    })
  })

  it('reports a slow server as a timeout', async () => {
    answer('issue', async () => {
      await delay('infinite')
      return HttpResponse.json({})
    })
    expect(await rejection(createUserTokenApi({ siteId: -99, timeoutMs: 20 }).issue(STAFF))).toMatchObject({
      kind: 'timeout',
    })
  })

  it('stops when its AbortSignal fires, and sends nothing when it already has', async () => {
    const { requests } = serveMockMindbody({ failure: 'slow', slowMs: 60_000 })
    const api = createUserTokenApi({ siteId: -99 })
    const controller = new AbortController()
    const pending = api.issue(STAFF, { signal: controller.signal })
    await expect.poll(() => requests.length).toBe(1)
    controller.abort()
    expect(await rejection(pending)).toMatchObject({ kind: 'aborted' })
    expect(await rejection(api.issue(STAFF, { signal: controller.signal }))).toMatchObject({
      kind: 'aborted',
    })
    expect(requests).toHaveLength(1)
  })

  const longString = 'x'.repeat(1_000_000)
  it.each<[string, Partial<MindbodyConfig>, object, string]>([
    ['a blank Username', {}, { Username: '   ', Password: 'p' }, 'Username'],
    ['an empty Username', {}, { Username: '', Password: 'p' }, 'Username'],
    ['a missing request', {}, null as unknown as object, 'Username'],
    ['a numeric Username', {}, { Username: 42, Password: 'p' }, 'Username'],
    ['a Username with a NUL', {}, { Username: 'ada\0', Password: 'p' }, 'Username'],
    ['an empty Password', {}, { Username: 'ada', Password: '' }, 'Password'],
    ['an object Password', {}, { Username: 'ada', Password: {} }, 'Password'],
    ['a 1 MB Password', {}, { Username: 'ada', Password: longString }, 'Password'],
    ['a text siteId', { siteId: 'abc' }, STAFF, 'siteId'],
    ['a fractional siteId', { siteId: 1.5 }, STAFF, 'siteId'],
    ['a siteId with CRLF', { siteId: '-99\r\nX-Evil: 1' }, STAFF, 'siteId'],
    ['a null siteId', { siteId: null as unknown as number }, STAFF, 'siteId'],
    ['version 0', { version: 0 }, STAFF, 'version'],
    ['version v6', { version: 'v6' }, STAFF, 'version'],
    ['a javascript: base URL', { baseURL: 'javascript:alert(1)' }, STAFF, 'baseURL'],
    ['a base URL with credentials', { baseURL: 'https://user:pw@api.mindbodyonline.com' }, STAFF, 'baseURL'],
    ['a protocol-relative base URL', { baseURL: '//evil.example' }, STAFF, 'baseURL'],
    ['a relative base URL', { baseURL: 'mindbody' }, STAFF, 'baseURL'],
    ['an API key with LF', { apiKey: 'key\nX-Evil: 1' }, STAFF, 'apiKey'],
    ['an API key with emoji', { apiKey: 'key🔑' }, STAFF, 'apiKey'],
    ['an unknown authScheme', { authScheme: 'Basic' as 'raw' }, STAFF, 'authScheme'],
  ])('refuses %s with an invalid-input error and sends nothing', async (_name, config, request, field) => {
    const { requests } = serveMockMindbody()
    const error = await rejection(
      Promise.resolve().then(() => createUserTokenApi({ siteId: -99, ...config }).issue(request as never)),
    )
    expect(error.kind).toBe('invalid-input')
    expect(error.message).toContain(field)
    expect(requests).toHaveLength(0)
  })

  it('refuses a token that cannot be a header, and sends nothing', async () => {
    const { requests } = serveMockMindbody()
    const api = createUserTokenApi({ siteId: -99 })
    expect(await rejection(api.revoke('abc\r\nX-Evil: 1'))).toMatchObject({ kind: 'invalid-input' })
    expect(await rejection(api.renew(''))).toMatchObject({ kind: 'invalid-input' })
    expect(requests).toHaveLength(0)
  })

  it('signs in with a unicode password', async () => {
    serveMockMindbody({
      users: [{ Username: 'zoë', Password: 'pässwörd 🔐 كلمة', User: { Id: 7, Type: 'Staff' } }],
    })
    const token = await createUserTokenApi({ siteId: -99 }).issue({
      Username: 'zoë',
      Password: 'pässwörd 🔐 كلمة',
    })
    expect(token.User).toEqual({ Id: 7, Type: 'Staff' })
  })

  it('puts no password, API key or token in its errors', async () => {
    answer('issue', () =>
      HttpResponse.json({ Error: { Message: 'Nope.', Code: 'DeniedAccess' } }, { status: 401 }),
    )
    answer('revoke', () => HttpResponse.error(), 'delete')
    const api = createUserTokenApi({ siteId: -99, apiKey: 'secret-api-key' })
    const errors = [
      await rejection(api.issue({ Username: 'ada', Password: 'hunter2-secret' })),
      await rejection(api.revoke('secret-token-value')),
    ]
    for (const error of errors) {
      const seen = [
        JSON.stringify(error),
        String(error),
        inspect(error, { depth: 10, showHidden: true }),
        String(error.cause),
      ].join('\n')
      expect(seen).not.toMatch(/hunter2-secret|secret-api-key|secret-token-value/)
    }
  })

  it('puts no password or API key in timeout and abort errors', async () => {
    serveMockMindbody({ failure: 'slow', slowMs: 5_000 })
    const api = createUserTokenApi({ siteId: -99, apiKey: 'secret-api-key', timeoutMs: 20 })
    const request = { Username: 'ada', Password: 'hunter2-secret' }
    const controller = new AbortController()
    const aborted = api
      .issue(request, { signal: controller.signal })
      .catch((e: MindbodyError) => e) as Promise<MindbodyError>
    controller.abort()
    const errors = [(await api.issue(request).catch((e: MindbodyError) => e)) as MindbodyError, await aborted]
    expect(errors.map((e) => e.kind)).toEqual(['timeout', 'aborted'])
    for (const error of errors) {
      const seen = [
        JSON.stringify(error),
        String(error),
        inspect(error, { depth: 10, showHidden: true }),
      ].join('\n')
      expect(seen).not.toMatch(/hunter2-secret|secret-api-key/)
    }
  })
})
