// @vitest-environment node
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createUserTokenApi } from '../../src'
import type { MindbodyProblem } from '../../src/core'
import { API, server, STAFF } from '../server'
import { rejection } from '../rejection'

const api = createUserTokenApi({ siteId: -99, apiKey: 'key-123' })
const envelope = (Code?: string, Message?: string) => ({ Error: { Code, Message } })

/** Mindbody answers `status` and `body` to every call; the client calls `usertoken/issue` or another. */
const problemOf = async (call: 'issue' | 'renew' | 'revoke', status: number, body?: unknown) => {
  server.use(http.all(`${API}/*`, () => HttpResponse.json(body ?? null, { status })))
  const sent = call === 'issue' ? api.issue(STAFF) : api[call]('a-token')
  return (await rejection(sent)).problem
}

describe('MindbodyError.problem', () => {
  it.each<[string, 'issue' | 'renew', number, unknown, MindbodyProblem]>([
    [
      'a wrong password',
      'issue',
      403,
      envelope('DeniedAccess', 'Staff identity authentication failed.'),
      'wrong-credentials',
    ],
    [
      'any 403 DeniedAccess on sign-in',
      'issue',
      403,
      envelope('DeniedAccess', 'Something else.'),
      'wrong-credentials',
    ],
    [
      'InvalidStaffCredentials on sign-in',
      'issue',
      401,
      envelope('InvalidStaffCredentials'),
      'wrong-credentials',
    ],
    ['a missing API key on sign-in', 'issue', 401, envelope('DeniedAccess', 'Missing API key'), 'api-key'],
    ['a missing API key elsewhere', 'renew', 401, envelope('DeniedAccess', 'Missing API key'), 'api-key'],
    ['a refused API key', 'issue', 401, envelope('DeniedAccess', 'Invalid API key'), 'api-key'],
    ['403 DeniedAccess on another call', 'renew', 403, envelope('DeniedAccess', 'No.'), 'permission-denied'],
    ['InvalidUserAccessLevel', 'renew', 403, envelope('InvalidUserAccessLevel'), 'permission-denied'],
    [
      'InvalidPermissionConfiguration',
      'renew',
      401,
      envelope('InvalidPermissionConfiguration'),
      'permission-denied',
    ],
    [
      'the proxy’s PermissionDenied',
      'renew',
      403,
      { Error: { Code: 'PermissionDenied', Message: 'Not allowed.', Permission: 'RefundSales' } },
      'permission-denied',
    ],
    ['InvalidSourceCredentials', 'issue', 403, envelope('InvalidSourceCredentials'), 'site-not-activated'],
    ['InvalidSiteId', 'issue', 400, envelope('InvalidSiteId'), 'site-not-activated'],
    ['StaffIsInactive', 'issue', 403, envelope('StaffIsInactive', 'Inactive.'), 'staff-inactive'],
    ['429 TooManyRequests', 'renew', 429, envelope('TooManyRequests'), 'rate-limited'],
    ['429 with no body', 'issue', 429, undefined, 'rate-limited'],
    [
      'a flat { Code, Message }',
      'issue',
      403,
      { Code: 'StaffIsInactive', Message: 'Inactive.' },
      'staff-inactive',
    ],
    [
      'an { Errors: [...] } list',
      'renew',
      403,
      { Errors: [{ Code: 'InvalidUserAccessLevel' }] },
      'permission-denied',
    ],
  ])('reads %s (%s, %i) as its problem', async (_case, call, status, body, problem) => {
    expect(await problemOf(call, status, body)).toBe(problem)
  })

  it.each<[string, 'issue' | 'renew' | 'revoke', number, unknown]>([
    [
      'a dead token (401 DeniedAccess on renew)',
      'renew',
      401,
      envelope('DeniedAccess', 'The access token is invalid or has expired.'),
    ],
    [
      '401 DeniedAccess on sign-in without a word of the API key',
      'issue',
      401,
      envelope('DeniedAccess', 'No.'),
    ],
    ['InvalidStaffCredentials on another call', 'revoke', 401, envelope('InvalidStaffCredentials')],
    ['an unknown code', 'issue', 403, envelope('SomethingNew', 'Who knows.')],
    ['an unknown code elsewhere', 'renew', 403, envelope('SomethingNew')],
    ['a code in another case', 'renew', 403, envelope('invaliduseraccesslevel')],
    ['TooManyRequests under a status other than 429', 'issue', 403, envelope('TooManyRequests')],
    ['InvalidParameter', 'issue', 400, envelope('InvalidParameter', 'SiteId header is required.')],
    ['NotFound', 'renew', 404, envelope('NotFound')],
    [
      'the proxy’s Forbidden (a CSRF refusal)',
      'renew',
      403,
      envelope('Forbidden', 'Cross-site request refused.'),
    ],
    ['a server error', 'renew', 500, envelope('InternalError')],
    ['a bodiless 403', 'issue', 403, undefined],
    ['a code that is not a string', 'issue', 403, { Error: { Code: 42 } }],
  ])('knows no problem for %s', async (_case, call, status, body) => {
    expect(await problemOf(call, status, body)).toBeUndefined()
  })

  it('has none when no answer came', async () => {
    server.use(http.post(`${API}/issue`, () => HttpResponse.error()))
    const error = await rejection(api.issue(STAFF))
    expect(error.kind).toBe('network')
    expect(error.problem).toBeUndefined()
  })

  it('reads a sign-in through the proxy as a sign-in', async () => {
    server.use(
      http.post('https://portal.example/mindbody/public/v6/usertoken/issue', () =>
        HttpResponse.json(envelope('DeniedAccess', 'Staff identity authentication failed.'), { status: 403 }),
      ),
    )
    const proxied = createUserTokenApi({
      mode: 'server',
      siteId: -99,
      baseURL: 'https://portal.example/mindbody',
    })
    expect(await rejection(proxied.issue(STAFF))).toMatchObject({ status: 403, problem: 'wrong-credentials' })
  })

  it('goes into toJSON, and a body that echoes the API key leaves no trace of it', async () => {
    server.use(
      http.post(`${API}/issue`, () =>
        HttpResponse.json(envelope('DeniedAccess', 'Invalid API key key-123'), { status: 401 }),
      ),
    )
    const error = await rejection(api.issue(STAFF))
    expect(error.toJSON()).toEqual({
      name: 'MindbodyError',
      kind: 'http',
      message: 'HTTP 401',
      status: 401,
      code: 'DeniedAccess',
      problem: 'api-key',
    })
    expect(JSON.stringify(error)).not.toContain('key-123')
  })
})
