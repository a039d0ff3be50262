import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMindbodyProxy, type MindbodyProxyOptions } from '../../src/server'
import { PAGE_ORIGIN as APP, pageRequest, unchunked, type SocketAnswer } from './rawSocket'
import { API_KEY, SECRET, startProxy } from './startProxy'
import { startStandIn } from './standIn'
import { answerPermissions, credentials, USERS } from './staffGroups'

/**
 * The `permissions` option as an attacker meets it, over raw sockets: a call mapped to a permission
 * the staff member lacks is refused before anything is sent upstream, however its path and method are
 * spelled; one the staff member may make goes through.
 */
const ISSUE = '/mindbody/public/v6/usertoken/issue'
const REFUND = '/mindbody/public/v6/sale/returnsale'
const DENIED = {
  Error: {
    Code: 'PermissionDenied',
    Message:
      'This staff member’s permission group does not allow this call: it needs the RefundSales permission.',
    Permission: 'RefundSales',
  },
}

let standIn: Awaited<ReturnType<typeof startStandIn>>
let failing = false
const open: Array<{ close(): Promise<void> }> = []
let logged: Array<ReturnType<typeof vi.spyOn>> = []
beforeEach(async () => {
  standIn = await startStandIn({ users: USERS })
  open.push(standIn)
  failing = false
  answerPermissions(standIn, () => failing)
  standIn.use(
    http.all('*/sale/*', ({ request }) =>
      standIn.mindbody.isValid(request.headers.get('Authorization') ?? '')
        ? HttpResponse.json({ Returned: true })
        : HttpResponse.json({ Error: { Code: 'DeniedAccess' } }, { status: 401 }),
    ),
  )
  logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level))
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()))
  for (const spy of logged) expect(spy).not.toHaveBeenCalled()
  vi.restoreAllMocks()
})

async function proxyWith(options: Partial<MindbodyProxyOptions> = {}) {
  const started = await startProxy(
    standIn.url,
    {
      origins: [APP],
      allow: () => true,
      permissions: { 'POST /sale/returnsale': 'RefundSales', 'GET /sale/sales': ['MakeSales', 'EditSales'] },
      ...options,
    },
    { alone: true },
  )
  open.push({ close: () => (started.server.closeAllConnections(), started.close()) })
  return started
}
type Proxy = Awaited<ReturnType<typeof proxyWith>>

async function signIn(proxy: Proxy, username: string) {
  const answer = await pageRequest(proxy.origin, 'POST', ISSUE, [], credentials(username))
  expect(answer.status).toBe(200)
  return answer.headers.find(([n]) => n === 'set-cookie')![1].split(';')[0]!
}
const bodyOf = (answer: SocketAnswer) => JSON.parse(unchunked(answer.body)) as unknown
const send = (proxy: Proxy, method: string, path: string, cookie: string) =>
  pageRequest(proxy.origin, method, path, [`Cookie: ${cookie}`], method === 'POST' ? '{"SaleId":1}' : '')

describe('a call mapped to a permission', () => {
  it('is refused with 403 PermissionDenied, nothing sent upstream, for a staff member without it', async () => {
    const proxy = await proxyWith()
    const cookie = await signIn(proxy, 'demo.staff')
    const before = standIn.seen.length
    const answer = await send(proxy, 'POST', REFUND, cookie)
    expect(answer.status).toBe(403)
    expect(bodyOf(answer)).toEqual(DENIED)
    expect(answer.headers).toContainEqual(['cache-control', 'no-store'])
    expect(answer.headers.filter(([n]) => n === 'set-cookie')).toEqual([])
    expect(standIn.seen.slice(before)).toEqual([])
    // The session holds: a call it may make goes through.
    expect((await send(proxy, 'POST', '/mindbody/public/v6/sale/checkoutshoppingcart', cookie)).status).toBe(
      200,
    )
  })

  it('goes through for a staff member who has it, and for an owner, with no permission read', async () => {
    const proxy = await proxyWith()
    for (const username of ['demo.manager', 'demo.owner']) {
      const cookie = await signIn(proxy, username)
      const before = standIn.seen.length
      const answer = await send(proxy, 'POST', REFUND, cookie)
      expect(answer.status).toBe(200)
      expect(bodyOf(answer)).toEqual({ Returned: true })
      expect(standIn.seen.slice(before).map((r) => r.decoded)).toEqual(['/public/v6/sale/returnsale'])
    }
  })

  it('needs every permission of an array, and names the first one missing', async () => {
    const proxy = await proxyWith()
    const cookie = await signIn(proxy, 'demo.staff')
    const answer = await send(proxy, 'GET', '/mindbody/public/v6/sale/sales', cookie)
    expect(answer.status).toBe(403)
    expect(bodyOf(answer)).toMatchObject({ Error: { Permission: 'EditSales' } })
  })

  it('is refused with no session, even where allowAnonymous lets calls through', async () => {
    const proxy = await proxyWith({ allowAnonymous: () => true })
    const before = standIn.seen.length
    const answer = await pageRequest(proxy.origin, 'POST', REFUND, [], '{}')
    expect(answer.status).toBe(403)
    expect(bodyOf(answer)).toMatchObject({ Error: { Code: 'PermissionDenied', Permission: 'RefundSales' } })
    expect(standIn.seen.slice(before)).toEqual([])
  })

  it('reads permissions the sign-in could not, before it decides; still unknown, it refuses', async () => {
    const proxy = await proxyWith()
    failing = true
    const cookie = await signIn(proxy, 'demo.manager')
    let before = standIn.seen.length
    const unknown = await send(proxy, 'POST', REFUND, cookie)
    expect(unknown.status).toBe(403)
    expect(bodyOf(unknown)).toMatchObject({ Error: { Code: 'PermissionDenied', Permission: 'RefundSales' } })
    expect(standIn.seen.slice(before).map((r) => r.decoded)).toEqual(['/public/v6/staff/staffpermissions'])
    failing = false
    before = standIn.seen.length
    expect((await send(proxy, 'POST', REFUND, cookie)).status).toBe(200)
    expect(standIn.seen.slice(before).map((r) => r.decoded)).toEqual([
      '/public/v6/staff/staffpermissions',
      '/public/v6/sale/returnsale',
    ])
  })
})

describe('an attacker’s spellings of a mapped call', () => {
  const refused: Array<[string, string, string, number]> = [
    ['another case', 'POST', '/mindbody/public/v6/Sale/ReturnSale', 403],
    ['upper case', 'POST', '/mindbody/PUBLIC/V6/SALE/RETURNSALE', 403],
    ['another version', 'POST', '/mindbody/public/v7/sale/returnsale', 403],
    ['a zero-padded version', 'POST', '/mindbody/public/v06/sale/returnsale', 403],
    ['a dotted version', 'POST', '/mindbody/public/v6.0/sale/returnsale', 403],
    ['no version', 'POST', '/mindbody/sale/returnsale', 403],
    ['escaped letters', 'POST', '/mindbody/public/v6/sale/%72eturn%53ale', 403],
    ['a query', 'POST', `${REFUND}?SaleId=1`, 403],
    ['a trailing dot', 'POST', `${REFUND}.`, 403],
    ['a trailing escaped space', 'POST', `${REFUND}%20`, 403],
    ['a trailing escaped dot and space', 'POST', `${REFUND}%2E%20.`, 403],
    ['a trailing slash', 'POST', `${REFUND}/`, 400],
    ['an encoded slash', 'POST', '/mindbody/public/v6/sale%2Freturnsale', 400],
    ['a double slash', 'POST', '/mindbody/public/v6/sale//returnsale', 400],
    ['a dot segment', 'POST', '/mindbody/public/v6/sale/./returnsale', 400],
    ['a dot-dot segment', 'POST', '/mindbody/public/v6/x/../sale/returnsale', 400],
    ['an escaped dot-dot', 'POST', '/mindbody/public/v6/x/%2e%2e/sale/returnsale', 400],
    ['a ; parameter', 'POST', `${REFUND};x=1`, 400],
    ['a backslash', 'POST', '/mindbody/public/v6/sale\\returnsale', 400],
    ['a double-encoded letter', 'POST', '/mindbody/public/v6/sale/%2572eturnsale', 400],
    ['a look-alike letter', 'POST', '/mindbody/public/v6/sale/r%C3%A9turnsale', 400],
    ['HEAD for a mapped GET', 'HEAD', '/mindbody/public/v6/sale/sales', 403],
    ['a lower-case method', 'post', REFUND, 400],
    ['an unknown method', 'PROPFIND', REFUND, 405],
  ]

  it.each(refused)(
    'refuses %s (%s %s) with %i, sending nothing upstream',
    async (_, method, path, status) => {
      const proxy = await proxyWith()
      const cookie = await signIn(proxy, 'demo.staff')
      const before = standIn.seen.length
      const answer = await send(proxy, method, path, cookie)
      expect(answer.status).toBe(status)
      if (status === 403 && method !== 'HEAD')
        expect(bodyOf(answer)).toMatchObject({ Error: { Code: 'PermissionDenied' } })
      expect(standIn.seen.slice(before)).toEqual([])
      expect(answer.text).not.toContain(API_KEY)
    },
  )
})

describe('the permissions option', () => {
  const misconfigured = async (permissions: unknown) => {
    const proxy = createMindbodyProxy({
      apiKey: API_KEY,
      secret: SECRET,
      siteIds: [-99],
      permissions: permissions as MindbodyProxyOptions['permissions'],
    })
    return () => proxy.sessions.list({ siteId: -99 })
  }

  it.each([
    [
      { 'POST /sale/returnsale': 'RefundSale' },
      '"RefundSale", which is not a Mindbody staff permission (did you mean "RefundSales"?)',
    ],
    [{ 'POST /sale/returnsale': 'refundsales' }, 'did you mean "RefundSales"?'],
    [
      { 'POST /sale/returnsale': ['RefundSales', 'Nope'] },
      '"Nope", which is not a Mindbody staff permission',
    ],
    [{ 'POST /sale/returnsale': [] }, 'needs at least one permission'],
    [{ '/sale/returnsale': 'RefundSales' }, "is not 'METHOD /path'"],
    [{ 'HEAD /sale/returnsale': 'RefundSales' }, "is not 'METHOD /path'"],
    [{ 'POST /sale/../returnsale': 'RefundSales' }, "is not 'METHOD /path'"],
    [{ 'POST /sale/returnsale?x=1': 'RefundSales' }, "is not 'METHOD /path'"],
    [['RefundSales'], 'give an object'],
  ])('refuses %j with a clear error', async (permissions, message) => {
    const list = await misconfigured(permissions)
    expect(list).toThrow(expect.objectContaining({ name: 'MindbodyError', kind: 'invalid-input' }))
    expect(list).toThrow(message)
    expect(list).toThrow(/^Invalid permissions: /)
  })

  it('answers every request 500 naming the option while it is wrong, sending nothing', async () => {
    const proxy = await proxyWith({ permissions: { 'POST /sale/returnsale': 'RefundSale' as never } })
    const answer = await pageRequest(proxy.origin, 'POST', ISSUE, [], credentials('demo.staff'))
    expect(answer.status).toBe(500)
    expect(bodyOf(answer)).toMatchObject({
      Error: { Message: expect.stringContaining('Invalid permissions') },
    })
    expect(standIn.seen).toEqual([])
    expect(logged[3]).toHaveBeenCalledOnce()
    logged[3]!.mockClear()
  })

  it('takes a path written with its /public/v{n} prefix, in any case, as the same rule', async () => {
    const proxy = await proxyWith({ permissions: { 'post /PUBLIC/v6/Sale/ReturnSale': 'RefundSales' } })
    const cookie = await signIn(proxy, 'demo.staff')
    expect((await send(proxy, 'POST', REFUND, cookie)).status).toBe(403)
  })
})
