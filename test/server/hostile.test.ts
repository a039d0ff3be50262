import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSessionSealer } from '../../src/server/cookie/sessionSealer'
import { socketRequest } from './rawSocket'
import { rawRequest, SECRET, startProxy } from './startProxy'
import { startStandIn } from './standIn'

/**
 * The proxy's defences, one hostile request each, over real sockets: every one gets its documented
 * status, and Mindbody's stand-in sees nothing at all.
 */
let standIn: Awaited<ReturnType<typeof startStandIn>>
let proxy: Awaited<ReturnType<typeof startProxy>>
let cookie = ''
const other = 'another-secret-that-is-at-least-32-characters'

beforeAll(async () => {
  standIn = await startStandIn()
  proxy = await startProxy(standIn.url, { siteIds: [-99, 1234] })
  const answer = await rawRequest(
    proxy.origin,
    'POST',
    '/mindbody/public/v6/usertoken/issue',
    good(),
    JSON.stringify(STAFF),
  )
  cookie = String(answer.headers['set-cookie']).split(';')[0]!
})
afterAll(async () => {
  await proxy.close()
  await standIn.close()
})

const STAFF = { Username: 'demo.staff', Password: 'demo-password' }
const ISSUE = '/mindbody/public/v6/usertoken/issue'
const RENEW = '/mindbody/public/v6/usertoken/renew'
const REVOKE = '/mindbody/public/v6/usertoken/revoke'
const STAFF_LIST = '/mindbody/public/v6/staff/staff'
function good(): Record<string, string> {
  return { 'X-Mindbody-Proxy': '1', Origin: proxy.origin, SiteId: '-99', 'Content-Type': 'application/json' }
}
const without = (name: string) => {
  const headers = good()
  delete headers[name]
  return headers
}
const withCookie = (value: () => string) => () => ({ ...good(), Cookie: value() })
const cookieValue = () => cookie.slice(cookie.indexOf('=') + 1)
const sealedWith = async (secret: string, siteId: string, expiresInMs: number) => {
  const sealed = await createSessionSealer(secret).seal(
    { AccessToken: 'stolen', siteId, version: '6', signedInAt: Date.now(), activeAt: Date.now() },
    Date.now() + expiresInMs,
  )
  return `mindbody-session.-99=${sealed}`
}
let foreign = ''
let crossSite = ''
let expired = ''

interface Case {
  name: string
  method: string
  path: string
  headers?: () => Record<string, string>
  body?: string | Buffer
  status: number
}
const cases: Case[] = [
  // Paths: traversal, encodings, doubled slashes, absolute targets, outside the base path.
  { name: 'a .. segment', method: 'GET', path: '/mindbody/../mindbody/public/v6/staff/staff', status: 400 },
  { name: 'a .. inside', method: 'GET', path: '/mindbody/public/v6/../v6/staff/staff', status: 400 },
  { name: 'a . segment', method: 'GET', path: '/mindbody/public/v6/./staff/staff', status: 400 },
  { name: 'an encoded ..', method: 'GET', path: '/mindbody/%2e%2e/public/v6/staff/staff', status: 400 },
  { name: 'an upper-case encoded ..', method: 'GET', path: '/mindbody/public/%2E%2E/v6', status: 400 },
  { name: 'a half-encoded ..', method: 'GET', path: '/mindbody/public/v6/.%2e/staff', status: 400 },
  { name: 'an encoded slash', method: 'GET', path: '/mindbody/public%2fv6/staff/staff', status: 400 },
  { name: 'an upper-case encoded slash', method: 'GET', path: '/mindbody/public/v6%2Fstaff', status: 400 },
  { name: 'an encoded backslash', method: 'GET', path: '/mindbody/public%5cv6/staff', status: 400 },
  { name: 'a backslash', method: 'GET', path: '/mindbody/public\\v6/staff/staff', status: 400 },
  { name: 'a double slash', method: 'GET', path: '/mindbody//public/v6/staff/staff', status: 400 },
  { name: 'a double slash inside', method: 'GET', path: '/mindbody/public/v6//staff/staff', status: 400 },
  { name: 'a URL in the path', method: 'GET', path: '/mindbody/https://evil.example/x', status: 400 },
  {
    name: 'an absolute-form target',
    method: 'GET',
    path: 'http://evil.example/mindbody/public/v6/staff/staff',
    status: 400,
  },
  { name: 'the base path alone', method: 'GET', path: '/mindbody', status: 404 },
  { name: 'an older API version', method: 'GET', path: '/mindbody/public/v5/staff/staff', status: 404 },
  { name: 'a path outside /public', method: 'GET', path: '/mindbody/admin/keys', status: 404 },
  { name: 'a method allow refuses', method: 'PUT', path: STAFF_LIST, status: 404 },
  {
    name: 'a token route with a trailing slash (an empty segment)',
    method: 'POST',
    path: `${ISSUE}/`,
    body: JSON.stringify(STAFF),
    status: 400,
  },
  {
    name: 'a token route under another name',
    method: 'POST',
    path: '/mindbody/public/v6/UserToken/Issue/x',
    body: JSON.stringify(STAFF),
    status: 404,
  },
  { name: 'GET on issue', method: 'GET', path: ISSUE, status: 405 },
  { name: 'GET on renew', method: 'GET', path: RENEW, status: 405 },
  { name: 'OPTIONS on issue (a preflight)', method: 'OPTIONS', path: ISSUE, status: 405 },
  { name: 'POST on /session', method: 'POST', path: '/mindbody/session', status: 405 },
  // CSRF.
  {
    name: 'no X-Mindbody-Proxy',
    method: 'POST',
    path: ISSUE,
    headers: () => without('X-Mindbody-Proxy'),
    body: JSON.stringify(STAFF),
    status: 403,
  },
  {
    name: 'X-Mindbody-Proxy: true',
    method: 'POST',
    path: ISSUE,
    headers: () => ({ ...good(), 'X-Mindbody-Proxy': 'true' }),
    body: JSON.stringify(STAFF),
    status: 403,
  },
  {
    name: 'a cross-site Origin',
    method: 'POST',
    path: ISSUE,
    headers: () => ({ ...good(), Origin: 'https://evil.example' }),
    body: JSON.stringify(STAFF),
    status: 403,
  },
  {
    name: 'Origin: null',
    method: 'POST',
    path: ISSUE,
    headers: () => ({ ...good(), Origin: 'null' }),
    body: JSON.stringify(STAFF),
    status: 403,
  },
  {
    name: 'no Origin and no Sec-Fetch-Site',
    method: 'POST',
    path: ISSUE,
    headers: () => without('Origin'),
    body: JSON.stringify(STAFF),
    status: 403,
  },
  {
    name: 'Sec-Fetch-Site: cross-site',
    method: 'POST',
    path: ISSUE,
    headers: () => ({ ...without('Origin'), 'Sec-Fetch-Site': 'cross-site' }),
    body: JSON.stringify(STAFF),
    status: 403,
  },
  {
    name: 'Sec-Fetch-Site: same-site',
    method: 'POST',
    path: ISSUE,
    headers: () => ({ ...without('Origin'), 'Sec-Fetch-Site': 'same-site' }),
    body: JSON.stringify(STAFF),
    status: 403,
  },
  {
    name: 'a sign-out with no CSRF header',
    method: 'DELETE',
    path: REVOKE,
    headers: () => ({ ...without('X-Mindbody-Proxy'), Cookie: cookie }),
    status: 403,
  },
  {
    name: 'a forwarded POST with no CSRF header',
    method: 'POST',
    path: '/mindbody/public/v6/sale/checkoutshoppingcart',
    headers: () => ({ ...without('X-Mindbody-Proxy'), Cookie: cookie }),
    body: '{}',
    status: 403,
  },
  // SiteId.
  {
    name: 'no SiteId',
    method: 'POST',
    path: ISSUE,
    headers: () => without('SiteId'),
    body: JSON.stringify(STAFF),
    status: 400,
  },
  {
    name: 'a site this proxy does not serve',
    method: 'POST',
    path: ISSUE,
    headers: () => ({ ...good(), SiteId: '5555' }),
    body: JSON.stringify(STAFF),
    status: 403,
  },
  {
    name: 'a SiteId that is not a number',
    method: 'POST',
    path: ISSUE,
    headers: () => ({ ...good(), SiteId: 'abc' }),
    body: JSON.stringify(STAFF),
    status: 400,
  },
  {
    name: 'two SiteIds',
    method: 'GET',
    path: STAFF_LIST,
    headers: () => ({ ...good(), SiteId: '-99, 1234' }),
    status: 400,
  },
  {
    name: 'an 11-digit SiteId',
    method: 'GET',
    path: STAFF_LIST,
    headers: () => ({ ...good(), SiteId: '12345678901' }),
    status: 400,
  },
  // Bodies.
  {
    name: 'a 65 KiB sign-in body',
    method: 'POST',
    path: ISSUE,
    body: JSON.stringify({ ...STAFF, pad: 'x'.repeat(65 * 1024) }),
    status: 413,
  },
  {
    name: 'a 1.1 MiB forwarded body',
    method: 'POST',
    path: '/mindbody/public/v6/client/addclient',
    headers: withCookie(() => cookie),
    body: Buffer.alloc(1.1 * 1024 * 1024, 97),
    status: 413,
  },
  { name: 'a body that is not JSON', method: 'POST', path: ISSUE, body: 'Username=demo.staff', status: 400 },
  {
    name: 'a __proto__ body',
    method: 'POST',
    path: ISSUE,
    body: '{"__proto__":{"Username":"demo.staff","Password":"demo-password"}}',
    status: 400,
  },
  {
    name: 'a constructor.prototype body',
    method: 'POST',
    path: ISSUE,
    body: '{"constructor":{"prototype":{"Username":"demo.staff"}},"Password":"x"}',
    status: 400,
  },
  {
    name: 'an object Username',
    method: 'POST',
    path: ISSUE,
    body: '{"Username":{"toString":"demo.staff"},"Password":"x"}',
    status: 400,
  },
  {
    name: 'a blank Username',
    method: 'POST',
    path: ISSUE,
    body: '{"Username":"   ","Password":"x"}',
    status: 400,
  },
  { name: 'an array body', method: 'POST', path: ISSUE, body: '[]', status: 400 },
  { name: 'a null body', method: 'POST', path: ISSUE, body: 'null', status: 400 },
  // Cookies.
  { name: 'a renew with no cookie', method: 'POST', path: RENEW, status: 401 },
  {
    name: 'a tampered cookie',
    method: 'POST',
    path: RENEW,
    headers: withCookie(() => `mindbody-session.-99=${cookieValue().slice(0, -4)}AAAA`),
    status: 401,
  },
  {
    name: 'a cookie that is not a JWE',
    method: 'GET',
    path: STAFF_LIST,
    headers: withCookie(() => 'mindbody-session.-99=eyJhbGciOiJub25lIn0.e30.'),
    status: 401,
  },
  {
    name: 'a cookie sealed with an unknown secret',
    method: 'POST',
    path: RENEW,
    headers: withCookie(() => foreign),
    status: 401,
  },
  {
    name: 'a cookie sealed for another site',
    method: 'POST',
    path: RENEW,
    headers: withCookie(() => crossSite),
    status: 401,
  },
  {
    name: "another site's cookie under this site's name",
    method: 'POST',
    path: RENEW,
    headers: () => ({ ...good(), SiteId: '1234', Cookie: `mindbody-session.1234=${cookieValue()}` }),
    status: 401,
  },
  { name: 'an expired cookie', method: 'POST', path: RENEW, headers: withCookie(() => expired), status: 401 },
  {
    name: 'an expired cookie on a forwarded call',
    method: 'GET',
    path: STAFF_LIST,
    headers: withCookie(() => expired),
    status: 401,
  },
]

describe('the proxy under hostile requests', () => {
  beforeAll(async () => {
    foreign = await sealedWith(other, '-99', 3600_000)
    crossSite = await sealedWith(SECRET, '1234', 3600_000)
    expired = await sealedWith(SECRET, '-99', -60_000)
  })

  it(`has at least 40 cases (${cases.length + 1})`, () => {
    expect(cases.length + 1).toBeGreaterThanOrEqual(40)
  })

  it.each(cases)('answers $name with $status, sending nothing upstream', async (c) => {
    const before = standIn.seen.length
    const answer = await rawRequest(proxy.origin, c.method, c.path, (c.headers ?? good)(), c.body)
    expect(answer.status).toBe(c.status)
    expect(standIn.seen.length - before).toBe(0)
    expect(answer.body).not.toContain(SECRET)
    if (c.status === 401) expect(String(answer.headers['set-cookie'])).toMatch(/Max-Age=0/)
    expect(({} as Record<string, unknown>).Username).toBeUndefined()
  })

  it('answers CR/LF in SiteId with 400 before any of it is read, sending nothing upstream', async () => {
    const before = standIn.seen.length
    const { text: answer } = await socketRequest(proxy.origin, [
      `GET ${STAFF_LIST} HTTP/1.1`,
      'Host: x',
      'SiteId: -99\rX-Evil: 1',
    ])
    expect(answer).toMatch(/^HTTP\/1\.1 400/)
    expect(standIn.seen.length - before).toBe(0)
  })
})
