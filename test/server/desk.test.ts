import { describe, expect, it, vi } from 'vitest'
import { http } from 'msw'
import { memorySessionStore, redisSessionStore, type SessionStore } from '../../src/server'
import { ADA, deskHarness, exactly, MIA, PASSWORD, PINS, REFUND, TOKEN } from './deskHarness'
import { API_KEY, SECRET } from './startProxy'
import { withRedis } from './startRedis'

/**
 * A shared front desk over real sockets: staff members signed in on one browser (one cookie), parked
 * and switched with a PIN, a locked desk refusing calls, wrong PINs, shifts ended one at a time, and
 * approvals on the spot; with a memory store and with a real redis-server shared by two instances.
 */
const harness = deskHarness()
const { deskProxy, twoAtDesk, lastToken, validTokens, upstream, everything } = harness

/** Everything the browser and `onEvent` ever got: no secret may be in it. */
const SECRETS = () => [PASSWORD, API_KEY, SECRET, ...Object.values(PINS), ...validTokens()]

const names = (body: { Desk: { Staff: Array<{ Name: string; Active: boolean; HasPin: boolean }> } }) =>
  body.Desk.Staff.map((s) => `${s.Name}${s.Active ? '*' : ''}${s.HasPin ? '#' : ''}`)

describe('a shared desk', () => {
  it('parks the first staff member when a second signs in, and switches between them with a PIN', async () => {
    const { desk, adaToken, miaToken } = await twoAtDesk()
    const session = await desk.session()
    expect(session.body.User.Id).toBe(MIA)
    expect(session.body.AccessToken).toBeUndefined()
    expect(names(session.body)).toEqual(['Ada#', 'Mia*#'])
    expect(session.body.Desk.Locked).toBe(false)
    expect((await desk.staff()).status).toBe(200)
    expect(lastToken()).toBe(miaToken)

    const switched = await desk.unlock(ADA, PINS.ada)
    expect(switched.status).toBe(200)
    expect(switched.body.User.Id).toBe(ADA)
    expect(names(switched.body)).toEqual(['Ada*#', 'Mia#'])
    expect((await desk.staff()).status).toBe(200)
    expect(lastToken()).toBe(adaToken)
    // Both tokens still live at Mindbody: a switch signs nobody out.
    expect(validTokens()).toEqual(expect.arrayContaining([adaToken, miaToken]))
  })

  it('answers 423 DeskLocked to every forwarded call while locked, and the same staff member unlocks it', async () => {
    const { desk, miaToken } = await twoAtDesk()
    const before = upstream().length
    const locked = await desk.lock()
    expect(locked.status).toBe(200)
    expect(locked.body).toEqual({
      Desk: {
        Locked: true,
        PinLength: 4,
        Staff: [
          { UserId: ADA, Name: 'Ada', HasPin: true, Active: false },
          { UserId: MIA, Name: 'Mia', HasPin: true, Active: false },
        ],
      },
    })
    // A new pass, naming nobody active: a call sent before the lock is told apart from one after.
    expect(locked.set).toMatch(/HttpOnly/)
    for (const attempt of [
      desk.staff(),
      desk.post(`${TOKEN}/renew`),
      desk.post('/mindbody/session/activity'),
    ]) {
      const answer = await attempt
      expect(answer.status).toBe(423)
      expect(answer.body.Error.Code).toBe('DeskLocked')
    }
    expect((await desk.session()).body).toEqual({ Desk: locked.body.Desk })
    expect(upstream().slice(before)).toEqual([])
    expect(desk.cookie).toBeTruthy()

    expect((await desk.unlock(MIA, PINS.mia)).status).toBe(200)
    expect((await desk.staff()).status).toBe(200)
    expect(lastToken()).toBe(miaToken)
  })

  it('ends a parked sign-in after too many wrong PINs, revoking its token, and leaves the others alone', async () => {
    const { desk, adaToken, miaToken } = await twoAtDesk()
    await desk.lock()
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await desk.unlock(ADA, '0000'))
    expect(answers.map((a) => [a.status, a.body.Error.Code, a.body.Error.AttemptsLeft])).toEqual([
      [403, 'WrongPin', 4],
      [403, 'WrongPin', 3],
      [403, 'WrongPin', 2],
      [403, 'WrongPin', 1],
      [403, 'WrongPin', 0],
    ])
    expect(validTokens()).not.toContain(adaToken)
    expect(validTokens()).toContain(miaToken)
    expect(names((await desk.session()).body)).toEqual(['Mia#'])
    // Gone from the desk: even the right PIN finds nobody, and the password is needed again.
    expect((await desk.unlock(ADA, PINS.ada)).status).toBe(404)
    expect((await desk.unlock(MIA, PINS.mia)).status).toBe(200)
  })

  it('counts wrong PINs against the username’s sign-in limit, as wrong passwords count', async () => {
    const { desk, adaToken } = await twoAtDesk({ signInLimit: { max: 2, windowMs: 60_000 } })
    await desk.lock()
    expect((await desk.unlock(ADA, '0000')).body.Error.AttemptsLeft).toBe(4)
    expect((await desk.unlock(ADA, '0000')).body.Error.AttemptsLeft).toBe(3)
    // The third failure of the username in the window is past the limit of 2: the sign-in ends.
    expect((await desk.unlock(ADA, '0000')).body.Error.AttemptsLeft).toBe(0)
    expect(validTokens()).not.toContain(adaToken)
    expect((await desk.signIn('demo.staff')).status).toBe(429)
  })

  it('ends one shift and never the other, and signing out at the desk ends only the active one', async () => {
    const { desk, adaToken, miaToken } = await twoAtDesk()
    const ended = await desk.endShift(ADA)
    expect(ended.status).toBe(200)
    expect(names(ended.body)).toEqual(['Mia*#'])
    expect(validTokens()).not.toContain(adaToken)
    expect((await desk.staff()).status).toBe(200)
    expect(lastToken()).toBe(miaToken)

    await desk.signIn('demo.staff')
    const adaAgain = validTokens().at(-1)!
    expect(adaAgain).not.toBe(miaToken)
    expect((await desk.signOut()).status).toBeLessThan(300)
    expect(validTokens()).toEqual([miaToken])
    expect(desk.cookie).toBeTruthy()
    // Ada signed out, so nobody is active: locked, Mia parked.
    expect((await desk.session()).body.Desk).toMatchObject({
      Locked: true,
      Staff: [{ Name: 'Mia', Active: false }],
    })
  })

  it('a late sign-out ends only the sign-in it was sent for, never a newer one', async () => {
    const proxy = await deskProxy()
    const desk = proxy.browser()
    await desk.signIn('demo.staff')
    const first = validTokens().at(-1)!
    // The sign-out leaves with this cookie, and is overtaken on the way by a new sign-in.
    const late = proxy.browser()
    late.cookie = desk.cookie
    await desk.signIn('demo.staff')
    const second = validTokens().at(-1)!
    expect(second).not.toBe(first)
    expect((await late.signOut()).status).toBeLessThan(300)
    expect(validTokens()).toEqual([second])
    expect((await desk.session()).body.User.Id).toBe(ADA)
    expect((await desk.staff()).status).toBe(200)

    // Another staff member's sign-out, sent before Mia signed in: Mia stays, Ada's shift ends.
    late.cookie = desk.cookie
    await desk.signIn('demo.manager')
    const mia = validTokens().at(-1)!
    expect((await late.signOut()).status).toBeLessThan(300)
    expect(validTokens()).toEqual([mia])
    expect(names((await desk.session()).body)).toEqual(['Mia*'])
  })

  it('a late call is refused 409 DeskChanged, and never goes out as whoever is active now', async () => {
    const { desk, proxy, miaToken } = await twoAtDesk()
    const late = proxy.browser()
    late.cookie = desk.cookie
    await desk.unlock(ADA, PINS.ada)
    const before = upstream().length
    for (const attempt of [late.staff(), late.post(`${TOKEN}/renew`), late.setPin('1234')]) {
      const answer = await attempt
      expect([answer.status, answer.body.Error.Code]).toEqual([409, 'DeskChanged'])
    }
    expect(upstream().slice(before)).toEqual([])
    // Its next look at the session catches up with the desk.
    expect((await late.session()).body.User.Id).toBe(ADA)
    expect((await late.staff()).status).toBe(200)
    expect(lastToken()).not.toBe(miaToken)
  })

  it('clears the cookie when the last shift ends, and a copy of the old cookie opens nothing', async () => {
    const proxy = await deskProxy()
    const desk = proxy.browser()
    await desk.signIn('demo.staff')
    const copy = desk.cookie
    const ended = await desk.endShift()
    expect(ended.status).toBe(200)
    expect(ended.body).toBeNull()
    expect(ended.set).toMatch(/Max-Age=0/)
    const thief = proxy.browser()
    thief.cookie = copy
    expect((await thief.staff()).status).toBe(401)
    expect(validTokens()).toEqual([])
  })

  it('a copied cookie of a locked desk can neither call Mindbody nor unlock without a PIN', async () => {
    const { proxy, desk } = await twoAtDesk()
    await desk.lock()
    const thief = proxy.browser()
    thief.cookie = desk.cookie
    expect((await thief.staff()).status).toBe(423)
    expect((await thief.unlock(MIA, '1111')).status).toBe(403)
    expect((await thief.post('/mindbody/desk/pin', { Pin: '1111' })).status).toBe(423)
  })

  it('refuses a sign-in past maxStaff before asking Mindbody, and a PIN of the wrong length', async () => {
    const proxy = await deskProxy({ desk: { maxStaff: 1, pinLength: 6 } })
    const desk = proxy.browser()
    await desk.signIn('demo.staff')
    expect((await desk.setPin('1234')).body.Error).toMatchObject({ Code: 'InvalidParameter' })
    expect((await desk.setPin('123456')).status).toBe(200)
    const before = upstream().length
    const full = await desk.signIn('demo.manager')
    expect([full.status, full.body.Error.Code]).toEqual([409, 'DeskFull'])
    expect(upstream().slice(before)).toEqual([])
    // The same staff member signing in again replaces their own sign-in.
    expect((await desk.signIn('demo.staff')).status).toBe(200)
    expect(validTokens()).toHaveLength(1)
  })

  it('needs a PIN set to unlock, and names nobody it does not have', async () => {
    const proxy = await deskProxy()
    const desk = proxy.browser()
    await desk.signIn('demo.staff')
    await desk.signIn('demo.manager')
    expect((await desk.unlock(ADA, '1234')).body.Error.Code).toBe('PinNotSet')
    expect((await desk.unlock(42, '1234')).status).toBe(404)
    expect((await desk.unlock(ADA, 'abcd')).status).toBe(400)
  })

  it('ends a parked sign-in after parkedMs, its token revoked at the next change of the desk', async () => {
    const { desk, adaToken } = await twoAtDesk({ desk: { parkedMs: 60 * 60_000 } })
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61 * 60_000)
    expect(names((await desk.session()).body)).toEqual(['Mia*#'])
    await desk.lock()
    expect(validTokens()).not.toContain(adaToken)
  })

  it("an unlock that races a renewal of the same staff member keeps the renewal's expiry, and says it", async () => {
    // The desk's compare-and-set, held once after the unlock has read the desk, so a renewal lands between.
    const inner = memorySessionStore()
    let holdAt = -1
    let release = () => {}
    let arrived = () => {}
    const reached = new Promise<void>((resolve) => (arrived = resolve))
    const store: SessionStore = {
      ...inner,
      swap: async (...args) => {
        if (holdAt-- === 0) await new Promise<void>((resolve) => ((release = resolve), arrived()))
        return inner.swap!(...args)
      },
    }
    const { desk } = await twoAtDesk({ storeTimeoutMs: 10_000 }, store)
    const signedIn = (await desk.session()).body.Expires
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 3600_000)
    let renewReached = () => {}
    let renewGo = () => {}
    const renewArrived = new Promise<void>((resolve) => (renewReached = resolve))
    const renewHeld = new Promise<void>((resolve) => (renewGo = resolve))
    harness.standIn.use(
      http.post('*/public/v6/usertoken/renew', async () => {
        renewReached()
        await renewHeld
        return undefined
      }),
    )
    const renewing = desk.renew()
    await renewArrived
    expect((await desk.lock()).status).toBe(200)
    // The unlock's third write (an attempt taken, the attempts given back, then the wake) is held.
    holdAt = 2
    const unlocking = desk.unlock(MIA, PINS.mia)
    await reached
    renewGo()
    const renewed = await renewing
    release()
    const unlocked = await unlocking

    expect(renewed.status).toBe(200)
    expect(renewed.body.Expires).not.toBe(signedIn)
    expect(unlocked.status).toBe(200)
    expect(unlocked.body.Expires).toBe(renewed.body.Expires)
    expect((await desk.session()).body.Expires).toBe(renewed.body.Expires)
  })

  it('is refused at start-up without a store, and approvals without a desk', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    for (const options of [
      { desk: {}, approvals: undefined, session: {} },
      { desk: undefined, approvals: { 'POST /sale/returnsale': 'RefundSales' as const } },
      { desk: { pinLength: 3 } },
      { approvals: { 'POST /sale/returnsale': 'RefundSale' as never } },
    ]) {
      const proxy = await deskProxy(options)
      const answer = await proxy.browser().session()
      expect(answer.status).toBe(500)
      expect(answer.body.Error.Message).toMatch(/desk|approvals/)
    }
    errors.mockRestore()
  })
})

describe('approvals on the spot', () => {
  it('holds a mapped call until a manager approves it with their PIN and a reason, then sends it once, as the manager', async () => {
    const { desk, proxy, miaToken } = await twoAtDesk()
    await desk.unlock(ADA, PINS.ada)
    const before = upstream().length
    const held = await desk.refund()
    expect(held.status).toBe(403)
    expect(held.body.Error).toMatchObject({
      Code: 'ApprovalRequired',
      Permissions: ['RefundSales'],
      NeedsReason: true,
    })
    const id = held.body.Error.ApprovalId
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(upstream().slice(before)).toEqual([])

    const approve = (UserId: number, Pin: string, Reason?: string) =>
      desk.post(`/mindbody/desk/approvals/${id}`, { UserId, Pin, Reason })
    expect((await approve(MIA, PINS.mia)).status).toBe(400)
    // Ada, the front desk, may not approve a refund.
    const denied = await approve(ADA, PINS.ada, 'customer asked')
    expect([denied.status, denied.body.Error.Code]).toEqual([403, 'PermissionDenied'])
    expect((await approve(MIA, '0000', 'customer asked')).body.Error.Code).toBe('WrongPin')
    expect((await approve(MIA, PINS.mia, 'customer asked')).status).toBe(204)

    const sent = await desk.refund(undefined, id)
    expect(sent).toMatchObject({ status: 200, body: { ReturnSaleId: 77 } })
    // Sent once, as Mia, who approved it: Mindbody checks her permission, and records her.
    expect(lastToken('/public/v6/sale/returnsale')).toBe(miaToken)
    expect(upstream().filter((r) => r.decoded === '/public/v6/sale/returnsale')).toHaveLength(1)
    // Ada is still the one active.
    expect((await desk.session()).body.User.Id).toBe(ADA)

    const again = await desk.refund(undefined, id)
    expect([again.status, again.body.Error.Code]).toEqual([403, 'ApprovalInvalid'])
    const kinds = proxy.events.map((e) => e.type).filter((t) => t.startsWith('approval'))
    expect(kinds).toEqual(['approval-required', 'approval-refused', 'approval-granted', 'approval-refused'])
    const granted = proxy.events.find((e) => e.type === 'approval-granted')
    expect(granted).toMatchObject({ userId: MIA, userName: 'Mia', reason: 'customer asked' })
  })

  it('refuses an approval for another body, another path or query, after it expired, or from another desk', async () => {
    const { desk, proxy } = await twoAtDesk()
    const approved = async () => {
      const id = (await desk.refund()).body.Error.ApprovalId
      const given = await desk.post(`/mindbody/desk/approvals/${id}`, {
        UserId: MIA,
        Pin: PINS.mia,
        Reason: 'ok',
      })
      expect(given.status).toBe(204)
      return id as string
    }
    const other = proxy.browser()
    await other.signIn('demo.owner')
    for (const misuse of [
      (id: string) => desk.refund({ SaleId: 6 }, id),
      (id: string) => desk.post(`${REFUND}?request.x=1`, { SaleId: 5 }, { 'X-Mindbody-Approval': id }),
      (id: string) => other.refund({ SaleId: 5 }, id),
    ]) {
      const id = await approved()
      expect((await misuse(id)).body.Error.Code).toMatch(/^Approval(Invalid|Required)$/)
      // The misuse did not use it up: the call it was given for still goes.
      expect((await desk.refund(undefined, id)).status).toBe(200)
    }
    const id = await approved()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 3 * 60_000)
    expect((await desk.refund(undefined, id)).body.Error.Code).toBe('ApprovalInvalid')
    expect(upstream().filter((r) => r.decoded === '/public/v6/sale/returnsale')).toHaveLength(3)
  })

  it('cancels a waiting approval, which then cannot be given', async () => {
    const { desk } = await twoAtDesk()
    const id = (await desk.refund()).body.Error.ApprovalId
    expect((await desk.send(`/mindbody/desk/approvals/${id}`, { method: 'DELETE' })).status).toBe(204)
    const late = await desk.post(`/mindbody/desk/approvals/${id}`, {
      UserId: MIA,
      Pin: PINS.mia,
      Reason: 'x',
    })
    expect(late.status).toBe(404)
  })
})

describe('two instances on one redis-server', () => {
  const redis = withRedis()

  it('share the desk: a lock on one holds on the other, and racing unlocks leave exactly one active', async () => {
    const store = redisSessionStore(redis.client)
    const { desk, proxy, adaToken, miaToken } = await twoAtDesk({}, store)
    const second = await harness.started({ session: { store }, desk: {} })
    const there = harness.browser(second.origin)
    there.cookie = desk.cookie
    expect((await there.lock()).status).toBe(200)
    // Sent with the cookie from before the lock, on the other instance: not for who is active now.
    expect((await desk.staff()).status).toBe(409)
    desk.cookie = there.cookie
    expect((await desk.staff()).status).toBe(423)

    const [a, b] = await Promise.all([desk.unlock(ADA, PINS.ada), there.unlock(MIA, PINS.mia)])
    expect([a.status, b.status]).toEqual([200, 200])
    // Whichever answer the browser kept last, its next look at the session catches up.
    const session = await desk.session()
    expect(session.body.Desk.Staff.filter((s: { Active: boolean }) => s.Active)).toHaveLength(1)
    expect((await desk.staff()).status).toBe(200)
    expect(lastToken()).toBe(session.body.User.Id === ADA ? adaToken : miaToken)
    expect(proxy.events.some((e) => e.type === 'desk-unlocked')).toBe(true)
  })

  it('keeps no secret in redis: no PIN, no token, no name', async () => {
    const store = redisSessionStore(redis.client)
    await twoAtDesk({}, store)
    const keys = (await redis.client.keys('*')) as string[]
    const values = await Promise.all(
      keys.map((k) => redis.client.type(k).then((t) => (t === 'string' ? redis.client.get(k) : ''))),
    )
    const dump = values.join('\n')
    for (const secret of [...SECRETS(), 'Ada', 'Mia']) expect(dump).not.toMatch(exactly(secret))
  })
})

describe('what an attacker sees', () => {
  it('holds no password, PIN, token, key or secret in any answer, cookie or event', async () => {
    const { desk, proxy } = await twoAtDesk()
    await desk.lock()
    await desk.unlock(ADA, '0000')
    await desk.unlock(ADA, PINS.ada)
    const id = (await desk.post(REFUND, { SaleId: 1 })).body.Error.ApprovalId
    await desk.post(`/mindbody/desk/approvals/${id}`, { UserId: MIA, Pin: PINS.mia, Reason: 'ok' })
    await desk.post(REFUND, { SaleId: 1 }, { 'X-Mindbody-Approval': id })
    await desk.endShift(MIA)
    const seen = [...everything, JSON.stringify(proxy.events)].join('\n')
    for (const secret of SECRETS()) expect(seen).not.toMatch(exactly(secret))
    expect(proxy.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'desk-locked',
        'desk-pin-wrong',
        'desk-unlocked',
        'desk-pin-set',
        'desk-shift-ended',
      ]),
    )
  })
})
