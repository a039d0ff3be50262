import { inspect } from 'node:util'
import { act, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createUserTokenApi, MindbodyError, type MindbodyConfig } from '../src'
import { renderHookWithProviders } from './renderWithProviders'
import { API, server, STAFF, serveMockMindbody } from './server'
import { renderSignedIn, useSession } from './renderSignedIn'

const MB = 'x'.repeat(1_000_000)
const emoji = '🔐😀'
const rtl = 'كلمة\u202Eالسر'
const control = ['\0', '\r\n', '\n', '\r', '\t', '\x1b', '\x7f', '\x08']

/** [name, config override, request override] — every one must fail as invalid-input, sending nothing. */
type Case = [name: string, config: object, request?: object]
const hostile: Case[] = [
  ...([null, undefined, 42, true, {}, [], '', '   ', MB, `ada${emoji}\0`] as unknown[]).map(
    (Username) => [`Username ${inspect(Username).slice(0, 24)}`, {}, { Username }] as Case,
  ),
  ...control.map((c) => [`Username with ${JSON.stringify(c)}`, {}, { Username: `ada${c}x` }] as Case),
  ...([null, undefined, 42, {}, [], '', MB, 'pass\0word', 'pass\r\nword'] as unknown[]).map(
    (Password) => [`Password ${inspect(Password).slice(0, 24)}`, {}, { Password }] as Case,
  ),
  ...(
    [
      null,
      {},
      [],
      '',
      'abc',
      '1.5',
      1.5,
      NaN,
      Infinity,
      '-99\r\nX-Evil: 1',
      emoji,
      rtl,
      '12345678901',
      MB,
    ] as unknown[]
  ).map((siteId) => [`siteId ${inspect(siteId).slice(0, 24)}`, { siteId }] as Case),
  ...([null, {}, 0, -6, '0', 'v6', '6.1', '6\n', emoji, MB] as unknown[]).map(
    (version) => [`version ${inspect(version).slice(0, 24)}`, { version }] as Case,
  ),
  ...(
    [
      null,
      42,
      {},
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'ftp://api.mindbodyonline.com',
      'https://user:pass@api.mindbodyonline.com',
      'https://user@api.mindbodyonline.com',
      '//evil.example',
      '/\\evil.example',
      'mindbody',
      'https://api.mindbodyonline.com/\r\nX-Evil: 1',
      `https://${emoji}.example`,
      `/${MB}`,
    ] as unknown[]
  ).map((baseURL) => [`baseURL ${inspect(baseURL).slice(0, 32)}`, { baseURL }] as Case),
  ...([null, 42, {}, '', 'key\r\nX-Evil: 1', 'key\n', 'key\0', `key${emoji}`, rtl, MB] as unknown[]).map(
    (apiKey) => [`apiKey ${inspect(apiKey).slice(0, 24)}`, { apiKey }] as Case,
  ),
  ...([null, 'bearer', 'Basic', 'raw ', {}, 1] as unknown[]).map(
    (authScheme) => [`authScheme ${inspect(authScheme).slice(0, 24)}`, { authScheme }] as Case,
  ),
  ...([-1, NaN, '100', {}, 2 ** 40] as unknown[]).map(
    (timeoutMs) => [`timeoutMs ${inspect(timeoutMs).slice(0, 24)}`, { timeoutMs }] as Case,
  ),
]

describe('hostile inputs', () => {
  it(`has at least 50 cases (${hostile.length})`, () => {
    expect(hostile.length).toBeGreaterThanOrEqual(50)
  })

  it.each(hostile)('refuses %s with invalid-input, sending nothing', async (_name, config, request) => {
    const { requests } = serveMockMindbody()
    const error = await Promise.resolve()
      .then(() =>
        createUserTokenApi({ siteId: -99, ...config } as MindbodyConfig).issue({
          ...STAFF,
          ...request,
        } as never),
      )
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MindbodyError)
    expect(error).toMatchObject({ kind: 'invalid-input', message: expect.stringMatching(/^Invalid \w+$/) })
    expect(requests).toHaveLength(0)
  })

  it('refuses them through the hooks too, with no state change', async () => {
    const { requests } = serveMockMindbody()
    const { result } = renderHookWithProviders(useSession, { baseURL: 'javascript:alert(1)' })
    await act(() => result.current.signIn.mutateAsync(STAFF).catch(() => {}))
    await waitFor(() =>
      expect(result.current.signIn.error).toMatchObject({
        kind: 'invalid-input',
        message: 'Invalid baseURL',
      }),
    )
    expect(result.current.state.isAuthenticated).toBe(false)
    expect(requests).toHaveLength(0)
  })

  it.each([
    ['an emoji and RTL password', { Username: 'zoë', Password: `pässwörd ${emoji} ${rtl}` }],
    ['an RTL username', { Username: rtl, Password: 'p' }],
    ['a 1 024-character password', { Username: 'long', Password: 'p'.repeat(1024) }],
    ['a password of spaces', { Username: 'spaces', Password: '    ' }],
  ])('accepts %s', async (_name, credentials) => {
    serveMockMindbody({ users: [{ ...credentials, User: { Id: 5, Type: 'Staff' } }] })
    await expect(
      createUserTokenApi({ siteId: '-99', version: '6', apiKey: 'key-123' }).issue(credentials),
    ).resolves.toMatchObject({
      User: { Id: 5 },
    })
  })
})

describe('hostile responses', () => {
  const big = JSON.stringify({ AccessToken: 'abc', Padding: 'x'.repeat(10_000_000) })
  it.each<[string, () => Response, 'invalid-response' | 'ok']>([
    ['a 10 MB body', () => new HttpResponse(big, { headers: { 'Content-Type': 'application/json' } }), 'ok'],
    ['AccessToken: 42', () => HttpResponse.json({ AccessToken: 42 }), 'invalid-response'],
    ['User: "x"', () => HttpResponse.json({ AccessToken: 'abc', User: 'x' }), 'invalid-response'],
    ['User.Id: "7"', () => HttpResponse.json({ AccessToken: 'abc', User: { Id: '7' } }), 'invalid-response'],
    ['Expires: "soon"', () => HttpResponse.json({ AccessToken: 'abc', Expires: 'soon' }), 'invalid-response'],
    [
      'an AccessToken with CRLF',
      () => HttpResponse.json({ AccessToken: 'abc\r\nX-Evil: 1' }),
      'invalid-response',
    ],
    [
      'truncated JSON',
      () => new HttpResponse('{"AccessToken":"ab', { headers: { 'Content-Type': 'application/json' } }),
      'invalid-response',
    ],
    [
      '__proto__ and constructor keys',
      () =>
        new HttpResponse(
          '{"AccessToken":"abc","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
          { headers: { 'Content-Type': 'application/json' } },
        ),
      'ok',
    ],
    [
      'extra fields',
      () => HttpResponse.json({ AccessToken: 'abc', Surprise: { deep: [1, 2] }, TokenType: 'Bearer' }),
      'ok',
    ],
    ['a 204', () => new HttpResponse(null, { status: 204 }), 'invalid-response'],
    [
      'a 302',
      () => new HttpResponse(null, { status: 302, headers: { Location: '/elsewhere' } }),
      'invalid-response',
    ],
    ['an HTML 200', () => HttpResponse.html('<h1>Maintenance</h1>'), 'invalid-response'],
    ['a JSON array', () => HttpResponse.json([{ AccessToken: 'abc' }]), 'invalid-response'],
    ['JSON null', () => HttpResponse.json(null), 'invalid-response'],
  ])('handles %s without changing state or prototypes', async (_name, answer, outcome) => {
    serveMockMindbody()
    const { result, token: first } = await renderSignedIn()
    server.use(http.post(`${API}/issue`, answer, { once: true }))
    const second = await act(() => result.current.signIn.mutateAsync(STAFF).catch((e: MindbodyError) => e))
    if (outcome === 'ok') {
      expect(second).toMatchObject({ AccessToken: 'abc' })
      expect(Object.keys(second)).not.toContain('Surprise')
      await waitFor(() => expect(result.current.state.accessToken).toBe('abc'))
    } else {
      expect(second).toMatchObject({ kind: 'invalid-response' })
      await waitFor(() => expect(result.current.signIn.isError).toBe(true))
      expect(result.current.state.accessToken).toBe(first.AccessToken)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })
})

describe('secrets in errors', () => {
  const PASSWORD = 'hunter2-Secret!'
  const API_KEY = 'api-key-Secret'
  const seen = (error: unknown) => {
    const e = error as MindbodyError
    return [
      e.message,
      JSON.stringify(e.details),
      String(e.cause),
      JSON.stringify(e.toJSON()),
      JSON.stringify(e),
      String(e),
      inspect(e, { depth: 10, showHidden: true }),
    ].join('\n')
  }

  it.each<[string, () => Response | Promise<Response>]>([
    [
      'a 401 that echoes the request',
      () =>
        HttpResponse.json(
          { Error: { Message: `Bad password ${PASSWORD} for key ${API_KEY}`, Code: 'DeniedAccess' } },
          { status: 401 },
        ),
    ],
    [
      'a 500',
      () => HttpResponse.json({ Error: { Message: 'Boom.', Code: 'InternalError' } }, { status: 500 }),
    ],
    ['a network failure', () => HttpResponse.error()],
    ['an HTML 200', () => HttpResponse.html(`<p>${PASSWORD}</p>`)],
  ])('carries no password, API key or token after %s', async (_name, answer) => {
    serveMockMindbody()
    const api = createUserTokenApi({ siteId: -99, apiKey: API_KEY })
    const { AccessToken } = await api.issue(STAFF)
    server.use(
      http.post(`${API}/issue`, answer),
      http.post(`${API}/renew`, answer),
      http.delete(`${API}/revoke`, answer),
    )
    const errors = await Promise.all([
      api.issue({ Username: 'ada', Password: PASSWORD }).catch((e) => e),
      api.renew(AccessToken).catch((e) => e),
      api.revoke(AccessToken).catch((e) => e),
    ])
    expect(errors[0]).toBeInstanceOf(MindbodyError)
    for (const error of errors.filter((e) => e instanceof MindbodyError)) {
      for (const secret of [PASSWORD, API_KEY, AccessToken]) expect(seen(error)).not.toContain(secret)
    }
  })

  it('carries none from useMindbodyClient', async () => {
    serveMockMindbody()
    const {
      result,
      token: { AccessToken },
    } = await renderSignedIn({ apiKey: API_KEY })
    server.use(
      http.get('*/staff/staff', ({ request }) =>
        HttpResponse.json({ Message: `echo ${request.headers.get('Authorization')}` }, { status: 400 }),
      ),
    )
    const error = await result.current.client.get('/staff/staff').catch((e) => e)
    expect(error).toMatchObject({ kind: 'http', status: 400, message: 'HTTP 400' })
    expect(seen(error)).not.toMatch(new RegExp(`${AccessToken}|${API_KEY}`))
  })
})
