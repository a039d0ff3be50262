import axios from 'axios'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createDeskCalls } from '../../src/core/deskCalls'
import { resolveConfig } from '../../src/core/resolveConfig'
import { ADA, ADA_ID, HEDY_ID, serveDesk } from '../deskProxy'
import { rejection } from '../rejection'
import { server } from '../server'

const serverConfig = resolveConfig({ mode: 'server', siteId: -99, baseURL: '/mindbody' })

/** A desk with Ada signed in and her PIN set, through the calls alone. */
async function deskWithAda() {
  const desk = serveDesk()
  const calls = createDeskCalls(serverConfig)
  await axios.post('/mindbody/public/v6/usertoken/issue', ADA, {
    headers: { SiteId: '-99', 'X-Mindbody-Proxy': '1' },
  })
  await calls.setPin('4711')
  desk.requests.length = 0
  return { desk, calls }
}

describe('createDeskCalls', () => {
  it('refuses token mode with a MindbodyError that says where the desk lives', () => {
    expect(() => createDeskCalls(resolveConfig({ siteId: -99 }))).toThrow(
      expect.objectContaining({
        name: 'MindbodyError',
        kind: 'invalid-input',
        message: 'The front desk lives on the /server proxy: use it with <MindbodyProvider mode="server">',
      }),
    )
  })

  it('reads, locks, unlocks, sets the PIN and ends a shift, parsing the desk into its public shape', async () => {
    const { desk, calls } = await deskWithAda()
    expect(await calls.read()).toEqual({
      isLocked: false,
      pinLength: 4,
      staff: [{ userId: ADA_ID, name: 'Ada Lovelace', hasPin: true, isActive: true }],
    })
    expect((await calls.lock()).isLocked).toBe(true)
    const { arrived, desk: unlocked } = await calls.unlock({ userId: ADA_ID, pin: '4711' })
    expect(arrived.token).toMatchObject({ AccessToken: '', User: { Id: ADA_ID, FirstName: 'Ada' } })
    expect(unlocked.staff[0]!.isActive).toBe(true)
    expect(await calls.end(ADA_ID)).toBeNull()
    expect(desk.requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([
      'GET /session ',
      'POST /desk/lock ',
      `POST /desk/unlock {"UserId":${ADA_ID},"Pin":"4711"}`,
      `POST /desk/end {"UserId":${ADA_ID}}`,
    ])
    expect(desk.requests.every((r) => r.headers.get('SiteId') === '-99')).toBe(true)
    expect(
      desk.requests.filter((r) => r.method === 'POST').map((r) => r.headers.get('X-Mindbody-Proxy')),
    ).toEqual(['1', '1', '1'])
  })

  it('sends every call through the configured axios instance', async () => {
    await deskWithAda()
    const own = axios.create()
    const seen: string[] = []
    own.interceptors.request.use((request) => (seen.push(`${request.method} ${request.url}`), request))
    const calls = createDeskCalls(
      resolveConfig({ mode: 'server', siteId: -99, baseURL: '/mindbody', axios: own }),
    )
    await calls.read()
    await calls.setPin('1234')
    await calls.lock()
    await calls.unlock({ userId: ADA_ID, pin: '1234' })
    await calls.end()
    expect(seen).toEqual([
      'get /mindbody/session',
      'post /mindbody/desk/pin',
      'post /mindbody/desk/lock',
      'post /mindbody/desk/unlock',
      'post /mindbody/desk/end',
    ])
  })

  it.each([
    ['a PIN with letters', () => ({ userId: ADA_ID, pin: '47a1' }), 'Invalid pin'],
    ['an empty PIN', () => ({ userId: ADA_ID, pin: '' }), 'Invalid pin'],
    ['a PIN that is a number', () => ({ userId: ADA_ID, pin: 4711 }), 'Invalid pin'],
    ['a negative user id', () => ({ userId: -1, pin: '4711' }), 'Invalid userId'],
    ['a fractional user id', () => ({ userId: 1.5, pin: '4711' }), 'Invalid userId'],
    ['a user id that is text', () => ({ userId: '100000123', pin: '4711' }), 'Invalid userId'],
    ['no credentials', () => undefined, 'Invalid userId'],
  ])('refuses %s to unlock and approve, sending nothing', async (_case, input, message) => {
    const { desk, calls } = await deskWithAda()
    const credentials = input()
    for (const call of [
      () => calls.unlock(credentials as never),
      () => calls.approve('0'.repeat(32), (credentials && { ...credentials, reason: 'r' }) as never),
    ]) {
      const error = await rejection(call())
      expect(error).toMatchObject({ kind: 'invalid-input', message })
      expect(JSON.stringify(error)).not.toContain('47')
    }
    expect(desk.requests).toEqual([])
  })

  it('refuses a bad PIN to set, a bad user id to end, a bad approval id and a bad reason, sending nothing', async () => {
    const { desk, calls } = await deskWithAda()
    const credentials = { userId: HEDY_ID, pin: '1234' }
    const refusals = [
      [calls.setPin('12 34'), 'Invalid pin'],
      [calls.end(-5), 'Invalid userId'],
      [calls.approve('../desk/lock', { ...credentials, reason: 'x' }), 'Invalid approval id'],
      [calls.cancel('ABCDEF'), 'Invalid approval id'],
      [calls.approve('a'.repeat(32), { ...credentials, reason: 'line\nbreak' }), 'Invalid reason'],
    ] as const
    for (const [call, message] of refusals)
      expect(await rejection(call)).toMatchObject({ kind: 'invalid-input', message })
    expect(desk.requests).toEqual([])
  })

  it.each([
    ['Locked is not a boolean', { Locked: 'no', PinLength: 4, Staff: [] }],
    ['PinLength is not an integer', { Locked: false, PinLength: 4.5, Staff: [] }],
    ['Staff is not a list', { Locked: false, PinLength: 4, Staff: {} }],
    [
      'a member has no name',
      { Locked: false, PinLength: 4, Staff: [{ UserId: 1, HasPin: true, Active: true }] },
    ],
    [
      'a member has a bad UserId',
      { Locked: false, PinLength: 4, Staff: [{ UserId: '1', Name: 'A', HasPin: true, Active: true }] },
    ],
    [
      'HasPin is not a boolean',
      { Locked: false, PinLength: 4, Staff: [{ UserId: 1, Name: 'A', HasPin: 'yes', Active: true }] },
    ],
  ])('refuses a desk where %s, as an invalid response', async (_case, Desk) => {
    server.use(http.post('*/mindbody/desk/lock', () => HttpResponse.json({ Desk })))
    const error = await rejection(createDeskCalls(serverConfig).lock())
    expect(error).toMatchObject({ kind: 'invalid-response', message: 'Invalid response: expected the desk' })
  })

  it('keeps a null user id, which the proxy gives a staff member Mindbody names no id for', async () => {
    const Staff = [{ UserId: null, Name: 'Grace Hopper', HasPin: false, Active: false }]
    server.use(
      http.get('*/mindbody/session', () =>
        HttpResponse.json({ Desk: { Locked: true, PinLength: 6, Staff } }),
      ),
    )
    expect(await createDeskCalls(serverConfig).read()).toEqual({
      isLocked: true,
      pinLength: 6,
      staff: [{ userId: null, name: 'Grace Hopper', hasPin: false, isActive: false }],
    })
  })

  it('reads no desk from a proxy that has none', async () => {
    server.use(
      http.get('*/mindbody/session', () => HttpResponse.json({ TokenType: 'Bearer', User: { Id: 1 } })),
    )
    expect(await createDeskCalls(serverConfig).read()).toBeNull()
  })

  it('keeps the attempts left of a wrong PIN, and drops an answer that echoes the PIN', async () => {
    const { calls } = await deskWithAda()
    await calls.lock()
    const wrong = await rejection(calls.unlock({ userId: ADA_ID, pin: '0000' }))
    expect(wrong).toMatchObject({ status: 403, code: 'WrongPin', details: { Error: { AttemptsLeft: 2 } } })

    server.use(
      http.post('*/mindbody/desk/unlock', async ({ request }) =>
        HttpResponse.json(
          {
            Error: {
              Code: 'WrongPin',
              Message: `PIN ${((await request.json()) as { Pin: string }).Pin} is wrong`,
            },
          },
          { status: 403 },
        ),
      ),
    )
    const echoed = await rejection(calls.unlock({ userId: ADA_ID, pin: '98765' }))
    expect(echoed).toMatchObject({ status: 403, code: 'WrongPin', message: 'HTTP 403' })
    expect(echoed.details).toBeUndefined()
    expect(JSON.stringify(echoed)).not.toContain('98765')
  })

  it('sends the current PIN to change one, and drops an answer that echoes it', async () => {
    const { calls } = await deskWithAda()
    server.use(
      http.post('*/mindbody/desk/pin', async ({ request }) =>
        HttpResponse.json(
          {
            Error: {
              Code: 'WrongPin',
              Message: `PIN ${((await request.json()) as { CurrentPin: string }).CurrentPin} is wrong`,
            },
          },
          { status: 403 },
        ),
      ),
    )
    const echoed = await rejection(calls.setPin('2468', '13579'))
    expect(echoed).toMatchObject({ status: 403, code: 'WrongPin', message: 'HTTP 403' })
    expect(JSON.stringify(echoed)).not.toContain('13579')
    await expect(calls.setPin('2468', '12 4')).rejects.toMatchObject({ kind: 'invalid-input' })
  })
})
