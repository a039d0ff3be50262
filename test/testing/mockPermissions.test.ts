// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createUserTokenApi, type MindbodyError } from '../../src'
import { staffPermissionNames } from '../../src/core/staffPermissions'
import { demoStaff, type MockStaffUser } from '../../src/testing'
import { serveMockMindbody, STAFF } from '../server'

const BASE = 'https://api.mindbodyonline.com/public/v6'
const MANAGER = { Username: 'demo.manager', Password: 'demo-password' }
const api = createUserTokenApi({ siteId: -99 })
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: MindbodyError) => e,
  )

/** `GET /staff/staffpermissions` as a client sends it: the token raw in `Authorization`. */
const permissionsOf = async (staffId: number | string, token?: string, siteId = '-99') => {
  const headers: Record<string, string> = { SiteId: siteId }
  if (token !== undefined) headers.Authorization = token
  const response = await fetch(`${BASE}/staff/staffpermissions?request.staffId=${staffId}`, { headers })
  return { status: response.status, body: await response.json() }
}
const signIn = async (credentials = STAFF) => {
  const { AccessToken, User } = await api.issue(credentials)
  return { token: AccessToken, id: User!.Id! }
}

describe('the mock’s staff permissions', () => {
  it('answers demo.staff a front-desk group that may sell and book but not refund', async () => {
    serveMockMindbody()
    const { token, id } = await signIn()
    const { status, body } = await permissionsOf(id, token)
    expect(status).toBe(200)
    expect(body.UserGroup).toMatchObject({ PermissionGroupName: 'Front Desk', IpRestricted: false })
    expect(body.UserGroup.AllowedPermissions).toEqual(
      expect.arrayContaining(['MakeSales', 'BookClassesAndEvents', 'LaunchSignInScreen']),
    )
    expect(body.UserGroup.AllowedPermissions).not.toContain('RefundSales')
    expect(body.UserGroup.DeniedPermissions).toContain('RefundSales')
    expect([...body.UserGroup.AllowedPermissions, ...body.UserGroup.DeniedPermissions].sort()).toEqual(
      [...staffPermissionNames].sort(),
    )
  })

  it('answers demo.manager a group that may refund, Bearer or raw', async () => {
    serveMockMindbody()
    const { token, id } = await signIn(MANAGER)
    const { body } = await permissionsOf(id, `Bearer ${token}`)
    expect(body.UserGroup.PermissionGroupName).toBe('Manager')
    expect(body.UserGroup.AllowedPermissions).toEqual(expect.arrayContaining(['RefundSales', 'MakeSales']))
    expect(body.UserGroup.DeniedPermissions).not.toContain('RefundSales')
  })

  it('answers another staff member’s group to any token of the site', async () => {
    serveMockMindbody()
    const { token } = await signIn()
    const manager = demoStaff.find((s) => s.Username === 'demo.manager')!
    const { body } = await permissionsOf(manager.User.Id!, token)
    expect(body.UserGroup.PermissionGroupName).toBe('Manager')
  })

  it('refuses without a live token of the site, as every call that needs one', async () => {
    const { mindbody } = serveMockMindbody()
    const { token, id } = await signIn()
    expect(await permissionsOf(id)).toMatchObject({ status: 401, body: { Error: { Code: 'DeniedAccess' } } })
    expect((await permissionsOf(id, token, '5')).status).toBe(401)
    mindbody.reset()
    expect((await permissionsOf(id, token)).status).toBe(401)
  })

  it('answers 400 for no staff ID, an unknown one, and an owner’s 0', async () => {
    serveMockMindbody()
    const { token } = await signIn()
    for (const staffId of ['', 'abc', 42, 0])
      expect(await permissionsOf(staffId, token)).toMatchObject({
        status: 400,
        body: { Error: { Code: 'InvalidParameter' } },
      })
  })

  it('gives a staff member without a group one that allows nothing, and passes IpRestricted on', async () => {
    const users: MockStaffUser[] = [
      { Username: 'plain', Password: 'pw', User: { Id: 7, Type: 'Staff' } },
      {
        Username: 'desk',
        Password: 'pw',
        User: { Id: 8, Type: 'Staff' },
        permissions: { PermissionGroupName: 'Desk', IpRestricted: true, AllowedPermissions: ['MakeSales'] },
      },
    ]
    serveMockMindbody({ users })
    const { token } = await signIn({ Username: 'plain', Password: 'pw' })
    expect((await permissionsOf(7, token)).body.UserGroup).toMatchObject({
      PermissionGroupName: 'Staff',
      IpRestricted: false,
      AllowedPermissions: [],
    })
    expect((await permissionsOf(8, token)).body.UserGroup).toMatchObject({
      IpRestricted: true,
      AllowedPermissions: ['MakeSales'],
    })
  })

  it('signs in demo.manager with the demo password, as every demo account', async () => {
    serveMockMindbody()
    expect((await api.issue(MANAGER)).User).toMatchObject({ Type: 'Staff', FirstName: 'Hedy' })
    expect(demoStaff.map((s) => [s.Username, s.Password])).toEqual([
      ['demo.staff', 'demo-password'],
      ['demo.owner', 'demo-password'],
      ['demo.manager', 'demo-password'],
    ])
  })
})

describe('the mock’s activation code', () => {
  const activation = (headers: Record<string, string>) =>
    fetch(`${BASE}/site/activationcode`, { headers }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }))

  it('answers the code and the link with no token', async () => {
    serveMockMindbody()
    const { status, body } = await activation({ SiteId: '-99' })
    expect(status).toBe(200)
    expect(body).toEqual({
      ActivationCode: expect.any(String),
      ActivationLink: expect.stringMatching(/^https:/),
    })
  })

  it('needs the Api-Key the mock was given, and a SiteId', async () => {
    serveMockMindbody({ apiKey: 'k' })
    expect(await activation({ SiteId: '-99' })).toMatchObject({
      status: 401,
      body: { Error: { Message: 'Missing API key', Code: 'DeniedAccess' } },
    })
    expect((await activation({ 'Api-Key': 'k' })).status).toBe(400)
    expect((await activation({ 'Api-Key': 'k', SiteId: '-99' })).status).toBe(200)
  })
})

describe('the mock’s onboarding failures', () => {
  it('plays a site that has not activated the key: every call refused but the activation code', async () => {
    serveMockMindbody({ unactivatedSites: [-99] })
    expect(await failure(api.issue(STAFF))).toMatchObject({ status: 403, code: 'InvalidSourceCredentials' })
    expect((await permissionsOf(1, 'any-token')).status).toBe(403)
    expect((await fetch(`${BASE}/site/activationcode`, { headers: { SiteId: '-99' } })).status).toBe(200)
    await expect(createUserTokenApi({ siteId: 5 }).issue(STAFF)).resolves.toBeTruthy()
  })

  it.each([
    ['missing-api-key', 401, 'DeniedAccess', 'api-key'],
    ['site-not-activated', 403, 'InvalidSourceCredentials', 'site-not-activated'],
    ['staff-inactive', 403, 'StaffIsInactive', 'staff-inactive'],
    ['permission-denied', 403, 'InvalidUserAccessLevel', 'permission-denied'],
    ['wrong-password', 403, 'DeniedAccess', 'wrong-credentials'],
    ['rate-limited', 429, 'TooManyRequests', 'rate-limited'],
  ] as const)(
    'answers %s as Mindbody does, read as its problem, until healed',
    async (mode, status, code, problem) => {
      const { mindbody } = serveMockMindbody({ failure: mode })
      expect(await failure(api.issue(STAFF))).toMatchObject({ kind: 'http', status, code, problem })
      mindbody.fail(null)
      await expect(api.issue(STAFF)).resolves.toBeTruthy()
    },
  )

  it('reads its unactivated site and its refused API key as their problems', async () => {
    serveMockMindbody({ apiKey: 'k', unactivatedSites: ['-99'] })
    expect(await failure(api.issue(STAFF))).toMatchObject({ message: 'Missing API key', problem: 'api-key' })
    const keyed = createUserTokenApi({ siteId: -99, apiKey: 'k' })
    expect(await failure(keyed.issue(STAFF))).toMatchObject({ problem: 'site-not-activated' })
  })

  it('aims a failure at the permissions alone, and fails them too when aimed at every endpoint', async () => {
    const { mindbody } = serveMockMindbody()
    const { token, id } = await signIn()
    mindbody.fail('permission-denied', ['staffpermissions'])
    expect(await permissionsOf(id, token)).toMatchObject({
      status: 403,
      body: { Error: { Code: 'InvalidUserAccessLevel' } },
    })
    await expect(api.renew(token)).resolves.toBeTruthy()
    mindbody.fail('server-error')
    expect((await permissionsOf(id, token)).status).toBe(500)
    expect((await fetch(`${BASE}/site/activationcode`, { headers: { SiteId: '-99' } })).status).toBe(500)
  })
})
