import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { staffPermissionNames } from '../../src/core/staffPermissions'
import { memorySessionStore, type MindbodyProxyOptions } from '../../src/server'
import { openedPermissions, sealedPermissions } from '../../src/server/permissions/permissionGroup'
import { bitsOf } from '../../src/server/permissions/permissionBits'
import { pageCall, startProxy } from './startProxy'
import { startStandIn } from './standIn'
import { answerPermissions, credentials, FRONT_DESK, GROUPS, USERS } from './staffGroups'

/**
 * The staff member's permissions, read once at sign-in and kept in the sealed cookie: what the
 * proxy answers for them, when it calls Mindbody (counted), and what ends them. Over real sockets.
 */
const TOKEN = '/mindbody/public/v6/usertoken'
const OWN = (id: number) => `/mindbody/public/v6/staff/staffpermissions?request.staffId=${id}`

let standIn: Awaited<ReturnType<typeof startStandIn>>
let failing = false
const open: Array<{ close(): Promise<void> }> = []
beforeEach(async () => {
  standIn = await startStandIn({ users: USERS })
  open.push(standIn)
  failing = false
  answerPermissions(standIn, () => failing)
})
afterEach(async () => void (await Promise.all(open.splice(0).map((o) => o.close()))))

/** How many times Mindbody was asked for permissions since `before`. */
const permissionCalls = (before = 0) =>
  standIn.seen.slice(before).filter((r) => r.decoded.endsWith('/staff/staffpermissions'))

async function proxyWith(options: Partial<MindbodyProxyOptions> = {}) {
  const started = await startProxy(standIn.url, options)
  open.push(started)
  const call = pageCall(started.origin)
  const signIn = async (username = 'demo.staff') => {
    const response = await call(`${TOKEN}/issue`, undefined, { method: 'POST', body: credentials(username) })
    expect(response.status).toBe(200)
    const setCookie = response.headers.get('Set-Cookie')!
    return { cookie: setCookie.split(';')[0]!, setCookie, token: standIn.mindbody.validTokens().at(-1)! }
  }
  return { ...started, call, signIn }
}

describe('permissions read at sign-in and kept with the session', () => {
  it('reads them once at sign-in, with the new token, and answers them from the cookie ever after', async () => {
    const proxy = await proxyWith()
    const { cookie, token } = await proxy.signIn()
    const [read] = permissionCalls()
    expect(permissionCalls()).toHaveLength(1)
    expect(read!.path).toBe('/public/v6/staff/staffpermissions')
    expect(read!.headers.get('Authorization')).toBe(token)
    expect(read!.headers.get('SiteId')).toBe('-99')
    expect(read!.headers.get('Api-Key')).toBeTruthy()

    const before = standIn.seen.length
    // A reload: the session, then the permissions, as the hooks ask for them; nothing reaches Mindbody.
    expect((await proxy.call('/mindbody/session', cookie)).status).toBe(200)
    for (let i = 0; i < 3; i++) {
      const answer = await proxy.call(OWN(100000123), cookie)
      expect(answer.status).toBe(200)
      expect(answer.headers.get('Cache-Control')).toBe('no-store')
      expect(await answer.json()).toEqual({ UserGroup: GROUPS[100000123] })
    }
    expect(standIn.seen.slice(before)).toEqual([])
  })

  it('answers every known name either allowed or denied, in the published order', async () => {
    const proxy = await proxyWith()
    const { cookie } = await proxy.signIn()
    const { UserGroup } = await (await proxy.call(OWN(100000123), cookie)).json()
    expect(UserGroup.AllowedPermissions).toEqual(
      staffPermissionNames.filter((n) => FRONT_DESK.includes(n as never)),
    )
    expect([...UserGroup.AllowedPermissions, ...UserGroup.DeniedPermissions].sort()).toEqual(
      [...staffPermissionNames].sort(),
    )
    expect(UserGroup).toMatchObject({ PermissionGroupName: 'Front desk', IpRestricted: true })
  })

  it('makes no call for an owner, who may do everything', async () => {
    const proxy = await proxyWith()
    const { cookie } = await proxy.signIn('demo.owner')
    expect(permissionCalls()).toEqual([])
    const answer = await proxy.call(OWN(0), cookie)
    expect(await answer.json()).toEqual({
      UserGroup: {
        PermissionGroupName: 'Owner',
        IpRestricted: false,
        AllowedPermissions: [...staffPermissionNames],
        DeniedPermissions: [],
      },
    })
    expect(permissionCalls()).toEqual([])
  })

  it('keeps them across a renewal and an activity report, with no new read', async () => {
    const proxy = await proxyWith()
    const { cookie } = await proxy.signIn()
    const renewed = await proxy.call(`${TOKEN}/renew`, cookie, { method: 'POST' })
    expect(renewed.status).toBe(200)
    const after = renewed.headers.get('Set-Cookie')!.split(';')[0]!
    expect(await (await proxy.call(OWN(100000123), after)).json()).toEqual({ UserGroup: GROUPS[100000123] })
    expect(permissionCalls()).toHaveLength(1)
  })

  it('forgets them at sign-out, and reads the next staff member’s own at the next sign-in', async () => {
    const proxy = await proxyWith({ session: { store: memorySessionStore() } })
    const { cookie } = await proxy.signIn()
    const out = await proxy.call(`${TOKEN}/revoke`, cookie, { method: 'DELETE' })
    expect(out.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    const before = standIn.seen.length
    // Signed out, nothing is answered: not with no cookie, nor with the old one replayed.
    expect((await proxy.call(OWN(100000123))).status).toBe(401)
    const replayed = await proxy.call(OWN(100000123), cookie)
    expect(replayed.status).toBe(401)
    expect(await replayed.json()).toMatchObject({ Error: { Code: 'SessionExpired', Reason: 'revoked' } })
    expect(standIn.seen.slice(before)).toEqual([])
    const manager = await proxy.signIn('demo.manager')
    expect(await (await proxy.call(OWN(100000456), manager.cookie)).json()).toEqual({
      UserGroup: GROUPS[100000456],
    })
  })

  it('forwards a question about another staff member to Mindbody, as any call', async () => {
    const proxy = await proxyWith()
    const { cookie } = await proxy.signIn('demo.manager')
    const before = standIn.seen.length
    const other = await proxy.call(OWN(100000123), cookie)
    expect(await other.json()).toEqual({ UserGroup: GROUPS[100000123] })
    expect(permissionCalls(before).map((r) => new URL(r.path, 'http://x').pathname)).toHaveLength(1)
    // So is its own id with another parameter beside it.
    await proxy.call(`${OWN(100000456)}&request.staffId=100000123`, cookie)
    expect(permissionCalls(before)).toHaveLength(2)
  })

  it('signs in when the read fails, reads them again when asked, and then keeps them', async () => {
    const proxy = await proxyWith()
    failing = true
    const { cookie } = await proxy.signIn()
    expect(permissionCalls()).toHaveLength(1)
    // Still failing: Mindbody's answer passes on, and the session is as it was.
    const refused = await proxy.call(OWN(100000123), cookie)
    expect(refused.status).toBe(500)
    expect(refused.headers.get('Set-Cookie')).toBeNull()
    failing = false
    const read = await proxy.call(OWN(100000123), cookie)
    expect(await read.json()).toEqual({ UserGroup: GROUPS[100000123] })
    const kept = read.headers.get('Set-Cookie')!.split(';')[0]!
    expect(permissionCalls()).toHaveLength(3)
    await proxy.call(OWN(100000123), kept)
    expect(permissionCalls()).toHaveLength(3)
  })

  it('is shared by every instance that shares the secret and the store, with no call', async () => {
    const store = memorySessionStore()
    const [a, b] = [await proxyWith({ session: { store } }), await proxyWith({ session: { store } })]
    const { cookie } = await a.signIn()
    const before = standIn.seen.length
    expect(await (await b.call(OWN(100000123), cookie)).json()).toEqual({ UserGroup: GROUPS[100000123] })
    expect(standIn.seen.slice(before)).toEqual([])
    // Revoked on one, ended on the other.
    await a.proxy.sessions.revoke({ siteId: -99, userId: 100000123 })
    expect((await b.call(OWN(100000123), cookie)).status).toBe(401)
  })
})

describe('the cookie with every permission', () => {
  it.each([
    ['the mock’s token', undefined],
    ['a 1 kB token', 'x'.repeat(1024)],
  ])('stays under 4 096 bytes, Set-Cookie whole, with %s', async (_, longToken) => {
    if (longToken)
      standIn.use(
        http.post('*/public/v6/usertoken/issue', () =>
          HttpResponse.json({
            AccessToken: longToken,
            Expires: new Date(Date.now() + 86_400_000).toISOString(),
            User: USERS[1]!.User,
          }),
        ),
      )
    const proxy = await proxyWith({ secure: true, session: { store: memorySessionStore() } })
    const answer = await proxy.call(`${TOKEN}/issue`, undefined, {
      method: 'POST',
      body: credentials('demo.manager'),
    })
    const setCookie = answer.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(/^__Secure-mindbody-session\.-99=/)
    expect(Buffer.byteLength(setCookie)).toBeLessThan(4096)
    process.env.COOKIE_SIZES && console.info(`${_}: ${Buffer.byteLength(setCookie)} bytes`)
  })
})

describe('the permissions as the cookie holds them', () => {
  it('reads back what it sealed, and nothing sealed against another list of names', () => {
    const kept = { groupName: 'Front desk', ipRestricted: true, allowed: bitsOf([0, 51, 182]) }
    const sealed = sealedPermissions(kept)
    expect(sealed.a).toHaveLength(31)
    expect(openedPermissions(JSON.parse(JSON.stringify(sealed)))).toEqual(kept)
    expect(openedPermissions({ ...sealed, l: 'another-list' })).toBeUndefined()
    expect(openedPermissions({ ...sealed, a: sealed.a.slice(1) })).toBeUndefined()
    expect(openedPermissions({ ...sealed, ip: 'yes' })).toBeUndefined()
    expect(openedPermissions(undefined)).toBeUndefined()
  })
})

describe('against the mock of /testing, as it answers staffpermissions', () => {
  it('keeps the front desk’s group, and lets the manager refund where the front desk may not', async () => {
    const mock = await startStandIn()
    open.push(mock)
    const proxy = await startProxy(mock.url, {
      allow: () => true,
      permissions: { 'POST /sale/returnsale': 'RefundSales' },
    })
    open.push(proxy)
    const call = pageCall(proxy.origin)
    const signIn = async (username: string) => {
      const answer = await call(`${TOKEN}/issue`, undefined, { method: 'POST', body: credentials(username) })
      return answer.headers.get('Set-Cookie')!.split(';')[0]!
    }
    const staff = await signIn('demo.staff')
    const before = mock.seen.length
    const { UserGroup } = await (await call(OWN(100000123), staff)).json()
    expect(UserGroup).toMatchObject({ PermissionGroupName: 'Front Desk', IpRestricted: false })
    expect(UserGroup.AllowedPermissions).toContain('MakeSales')
    expect(UserGroup.DeniedPermissions).toContain('RefundSales')
    const refund = (cookie: string) =>
      call('/mindbody/public/v6/sale/returnsale', cookie, { method: 'POST', body: '{"SaleId":1}' })
    expect((await refund(staff)).status).toBe(403)
    expect(mock.seen.slice(before)).toEqual([])
    // The manager's refund reaches Mindbody, which refunds it.
    expect((await refund(await signIn('demo.manager'))).status).toBe(200)
    expect(mock.seen.at(-1)!.decoded).toBe('/public/v6/sale/returnsale')
  })
})
