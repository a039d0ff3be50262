import { http } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { memorySessionStore, redisSessionStore, type SessionStore } from '../../src/server'
import {
  ADA,
  APPROVALS,
  deskHarness,
  exactly,
  MIA,
  PASSWORD,
  PINS,
  REFUND,
  refundHandler,
  STAFF,
  type Browser,
} from './deskHarness'
import { PAGE_ORIGIN as APP, pageRequest, unchunked } from './rawSocket'
import { API_KEY, SECRET } from './startProxy'
import { startStandIn } from './standIn'
import { USERS } from './staffGroups'
import { withRedis } from './startRedis'

/**
 * An adversary's pass over the shared front desk (#31), over real sockets: copied, moved and forged
 * desk cookies; races between unlocks, locks, sign-ins, sign-outs, renewals and shifts ending; guesses
 * of a PIN sent all at once; approvals reused, raced, cancelled, respelled and given by someone signed
 * out; a store that stalls or fails; hostile bodies; and what a PIN costs the server. Every test also
 * checks that nothing was logged and no promise was left rejected.
 */
let logged: Array<ReturnType<typeof vi.spyOn>> = []
let unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)

// Before the harness's hooks, so that these checks come after its own: once every server is closed.
beforeEach(() => {
  logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level))
  unhandled = []
  process.on('unhandledRejection', onUnhandled)
})
afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
  for (const spy of logged) expect(spy).not.toHaveBeenCalled()
  expect(unhandled).toEqual([])
  vi.restoreAllMocks()
})

/** Browsers call from the app's own origin. */
const harness = deskHarness(APP)
const { browser, deskProxy, twoAtDesk, lastToken, validTokens, upstream, everything, open } = harness

/** How many calls reached Mindbody's refund, however spelled. */
const refunds = () => upstream().filter((r) => /returnsale/i.test(r.decoded.replace(/[\s.]+$/, ''))).length
const active = (body: { Desk: { Staff: Array<{ UserId: number; Active: boolean }> } }) =>
  body.Desk.Staff.filter((s) => s.Active).map((s) => s.UserId)

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64url')

/** Counts the PBKDF2 hashes the server makes (a PIN set or checked), and keeps their salts and outputs. */
function countHashes() {
  const subtle = crypto.subtle
  const real = subtle.deriveBits.bind(subtle)
  const seen = { count: 0, kept: [] as string[] }
  vi.spyOn(subtle, 'deriveBits').mockImplementation(async (algorithm, key, length) => {
    const bits = await real(algorithm, key, length)
    const { name, salt } = algorithm as { name: string; salt?: Uint8Array }
    if (name === 'PBKDF2') {
      seen.count++
      seen.kept.push(base64url(bits), base64url(salt!))
    }
    return bits
  })
  return seen
}

/**
 * `store` with its desk writes held on demand: `hold()` makes the next `swap` wait, after it is
 * `reached`, until `release()`; `failing` makes every `read` or `swap` throw.
 */
function controlled(store: SessionStore) {
  let gate: Promise<void> | undefined
  let arrived: () => void = () => {}
  const failing = { read: false, swap: false }
  const wrapped: SessionStore = {
    ...store,
    read: async (key) => {
      if (failing.read) throw new Error('read failed')
      return store.read!(key)
    },
    swap: async (...args) => {
      if (failing.swap) throw new Error('swap failed')
      const held = gate
      gate = undefined
      if (held) {
        arrived()
        await held
      }
      return store.swap!(...args)
    },
  }
  const hold = () => {
    let release!: () => void
    gate = new Promise<void>((resolve) => (release = resolve))
    const reached = new Promise<void>((resolve) => (arrived = resolve))
    return { reached, release }
  }
  return { store: wrapped, hold, failing }
}

/** Holds Mindbody's answers to `method` `path` until `release()`, after the first has `reached` it. */
function holdUpstream(method: 'post' | 'get', path: string) {
  let release!: () => void
  let arrived!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const reached = new Promise<void>((resolve) => (arrived = resolve))
  harness.standIn.use(
    http[method](path, async () => {
      arrived()
      await gate
      // Falls through to the stand-in's own answer.
      return undefined
    }),
  )
  return { reached, release }
}

/** A second instance of the desk proxy on `store`. */
const secondInstance = (store: SessionStore) =>
  harness.started({ session: { store }, desk: {}, approvals: APPROVALS })

describe('a desk cookie copied, moved or forged', () => {
  it('follows the desk: a copy is shut out by a lock or a sign-out, and dead once the last shift ends', async () => {
    const { proxy, desk, adaToken } = await twoAtDesk()
    const thief = proxy.browser()
    thief.cookie = desk.cookie
    expect((await desk.signOut()).status).toBe(200)
    // The copy names Mia, who has left: 409 DeskChanged, nothing sent.
    expect((await thief.staff()).status).toBe(409)
    expect((await thief.renew()).status).toBe(409)
    expect((await thief.setPin('1111')).status).toBe(409)
    expect((await thief.unlock(ADA, '0000')).body.Error).toMatchObject({ Code: 'WrongPin', AttemptsLeft: 4 })
    // A sign-out with nobody active ends nobody.
    expect((await thief.signOut()).status).toBe(204)
    expect(validTokens()).toEqual([adaToken])

    const copy = thief.cookie
    expect((await desk.endShift(ADA)).body).toBeNull()
    expect(desk.cookie).toBeUndefined()
    const before = upstream().length
    for (const attempt of [
      () => thief.staff(),
      () => thief.lock(),
      () => thief.unlock(ADA, PINS.ada),
      () => thief.endShift(ADA),
      () => thief.setPin('1111'),
      () => thief.refund(),
    ]) {
      // Sent again each time, as a thief would, though the proxy clears it.
      thief.cookie = copy
      expect((await attempt()).status).toBe(401)
    }
    expect(upstream().slice(before)).toEqual([])
  })

  it('opens nothing on another instance that keeps its own desks', async () => {
    const { desk } = await twoAtDesk()
    const elsewhere = await deskProxy()
    const thief = elsewhere.browser()
    thief.cookie = desk.cookie
    const before = upstream().length
    const answer = await thief.staff()
    expect([answer.status, answer.set]).toEqual([401, expect.stringMatching(/Max-Age=0/)])
    thief.cookie = desk.cookie
    expect((await thief.unlock(MIA, PINS.mia)).status).toBe(401)
    expect(upstream().slice(before)).toEqual([])
  })

  it('is the desk of one site only: renamed and sent for another site, it opens nothing', async () => {
    const proxy = await deskProxy({ siteIds: [-99, -100] })
    const desk = proxy.browser()
    await desk.signIn('demo.manager')
    const value = desk.cookie!.split('=').slice(1).join('=')
    const before = upstream().length
    const moved = (cookie: string) => ({ SiteId: '-100', Cookie: cookie })
    const renamed = await desk.send(STAFF, {}, moved(`mindbody-session.-100=${value}`))
    expect([renamed.status, renamed.set]).toEqual([401, expect.stringMatching(/Max-Age=0/)])
    expect(
      (await desk.send('/mindbody/session', {}, moved(`mindbody-session.-100=${value}`))).body,
    ).toBeNull()
    // Under its own name, for the other site, it is no cookie at all.
    expect((await desk.send(STAFF, {}, moved(`mindbody-session.-99=${value}`))).status).toBe(401)
    expect(upstream().slice(before)).toEqual([])
  })

  describe('with a real redis-server', () => {
    const redis = withRedis()

    it('refuses a desk record from Redis, a plain session cookie of the same secret, and a pass on a plain proxy', async () => {
      const store = redisSessionStore(redis.client)
      const { desk, proxy } = await twoAtDesk({}, store)
      const plain = await harness.started({ session: { store } })
      const plainBrowser = browser(plain.origin)
      await plainBrowser.signIn('demo.owner')
      const [key] = (await redis.client.keys('mindbody:session:desk:*')) as string[]
      const record = (await redis.client.get(key!))!
      const [sid] = ((await redis.client.keys('mindbody:session:*')) as string[]).filter(
        (k) => !/:(desk|site|ended):/.test(k),
      )
      const sessionRecord = (await redis.client.get(sid!))!
      const before = upstream().length
      for (const forged of [record, plainBrowser.cookie!.split('=').slice(1).join('='), sessionRecord]) {
        const thief = proxy.browser()
        const cookie = `mindbody-session.-99=${forged}`
        for (const attempt of [() => thief.staff(), () => thief.unlock(MIA, PINS.mia), () => thief.lock()]) {
          thief.cookie = cookie
          expect((await attempt()).status).toBe(401)
        }
        thief.cookie = cookie
        expect((await thief.session()).body).toBeNull()
      }
      const onPlain = browser(plain.origin)
      onPlain.cookie = desk.cookie
      expect((await onPlain.staff()).status).toBe(401)
      expect(upstream().slice(before)).toEqual([])
    })
  })
})

describe('races at one desk', () => {
  const raceRedis = withRedis()
  it('a sign-out whose desk changes under it ends the one it was for, never the newer one', async () => {
    const held = controlled(memorySessionStore())
    const { proxy, desk, adaToken, miaToken } = await twoAtDesk({ storeTimeoutMs: 10_000 }, held.store)
    const other = proxy.browser()
    other.cookie = desk.cookie
    // Mia signs out; her sign-out has read the desk, and is held before it writes.
    const { reached, release } = held.hold()
    const signingOut = desk.signOut()
    await reached
    // Meanwhile Ada unlocks at the same desk, from another tab.
    expect((await other.unlock(ADA, PINS.ada)).status).toBe(200)
    release()
    expect((await signingOut).status).toBeLessThan(300)
    expect(validTokens()).toEqual([adaToken])
    expect(validTokens()).not.toContain(miaToken)
    const session = await desk.session()
    expect([session.body.User.Id, active(session.body)]).toEqual([ADA, [ADA]])
    expect((await desk.staff()).status).toBe(200)
    expect(lastToken()).toBe(adaToken)
  })

  it('a sign-out held across a new sign-in ends the one it was for, never the newcomer', async () => {
    const held = controlled(memorySessionStore())
    const { desk, adaToken, miaToken } = await twoAtDesk({ storeTimeoutMs: 10_000 }, held.store)
    const { reached, release } = held.hold()
    const signingOut = desk.signOut()
    await reached
    const signedIn = await desk.signIn('demo.owner')
    expect(signedIn.status).toBe(200)
    const graceToken = validTokens().at(-1)!
    release()
    await signingOut
    expect(validTokens().sort()).toEqual([adaToken, graceToken].sort())
    expect(validTokens()).not.toContain(miaToken)
    expect((await desk.session()).body.User.FirstName).toBe('Grace')
    await desk.staff()
    expect(lastToken()).toBe(graceToken)
  })

  it('a renewal under way when another staff member unlocks keeps the desk with the one who unlocked', async () => {
    const { desk, adaToken, miaToken } = await twoAtDesk()
    const renew = holdUpstream('post', '*/public/v6/usertoken/renew')
    const renewing = desk.renew()
    await renew.reached
    expect((await desk.unlock(ADA, PINS.ada)).status).toBe(200)
    renew.release()
    expect((await renewing).status).toBe(200)
    const session = await desk.session()
    expect([session.body.User.Id, active(session.body)]).toEqual([ADA, [ADA]])
    await desk.staff()
    expect(lastToken()).toBe(adaToken)
    // Mia, parked, comes back with her renewed token.
    expect((await desk.unlock(MIA, PINS.mia)).status).toBe(200)
    await desk.staff()
    expect(lastToken()).toBe(miaToken)
  })

  it('a renewal under way when that shift ends leaves it ended, and the others parked', async () => {
    const { desk, adaToken, miaToken } = await twoAtDesk()
    const renew = holdUpstream('post', '*/public/v6/usertoken/renew')
    const renewing = desk.renew()
    await renew.reached
    expect((await desk.endShift(MIA)).status).toBe(200)
    renew.release()
    // Mindbody refuses the revoked token, or the proxy finds the session ended: 401 either way.
    expect((await renewing).status).toBe(401)
    expect(validTokens()).toEqual([adaToken])
    expect(validTokens()).not.toContain(miaToken)
    expect(desk.cookie).toBeTruthy()
    expect((await desk.session()).body).toMatchObject({ Desk: { Locked: true, Staff: [{ UserId: ADA }] } })
  })

  it.each([
    ['one memory store', false],
    ['two instances on one redis-server', true],
  ])(
    'an unlock racing the end of that shift (%s) never leaves the ended staff member active',
    async (_, shared) => {
      const store = shared ? redisSessionStore(raceRedis.client) : memorySessionStore()
      const { proxy, desk, miaToken } = await twoAtDesk({}, store)
      const there = shared ? browser((await secondInstance(store)).origin) : proxy.browser()
      await desk.lock()
      there.cookie = desk.cookie
      const [unlocked, ended] = await Promise.all([desk.unlock(ADA, PINS.ada), there.endShift(ADA)])
      // Unlocked first and then ended, or found ended (401) or gone (404).
      expect([200, 401, 404]).toContain(unlocked.status)
      expect(ended.status).toBe(200)
      expect(validTokens()).toEqual([miaToken])
      const before = upstream().length
      expect((await desk.staff()).status).toBe(423)
      expect((await there.staff()).status).toBe(423)
      expect(upstream().slice(before)).toEqual([])
      expect((await desk.session()).body.Desk.Staff.map((s: { UserId: number }) => s.UserId)).toEqual([MIA])
    },
  )

  it('an unlock racing a lock leaves the desk either locked or with that staff member, and says which', async () => {
    const { desk, adaToken } = await twoAtDesk()
    for (let round = 0; round < 3; round++) {
      await desk.lock()
      await Promise.all([desk.unlock(ADA, PINS.ada), desk.lock()])
      const session = await desk.session()
      const answer = await desk.staff()
      if (session.body.Desk.Locked) expect(answer.status).toBe(423)
      else expect([answer.status, lastToken(), active(session.body)]).toEqual([200, adaToken, [ADA]])
    }
  })

  it('a sign-in racing the end of another shift: the newcomer active, the ended one revoked, the parked one kept', async () => {
    const { proxy, desk, adaToken, miaToken } = await twoAtDesk()
    const tab = proxy.browser()
    tab.cookie = desk.cookie
    const [signedIn, ended] = await Promise.all([desk.signIn('demo.owner'), tab.endShift(ADA)])
    expect([signedIn.status, ended.status]).toEqual([200, 200])
    const graceToken = validTokens().at(-1)!
    expect(validTokens().sort()).toEqual([miaToken, graceToken].sort())
    expect(validTokens()).not.toContain(adaToken)
    const session = await desk.session()
    expect(
      session.body.Desk.Staff.map((s: { UserId: number; Active: boolean }) => [s.UserId, s.Active]),
    ).toEqual([
      [MIA, false],
      [0, true],
    ])
  })

  it('sign-ins racing for the last place at a desk: one joins, the other is refused and its token revoked', async () => {
    const proxy = await deskProxy({ desk: { maxStaff: 2 } })
    const desk = proxy.browser()
    await desk.signIn('demo.staff')
    const tab = proxy.browser()
    tab.cookie = desk.cookie
    const answers = await Promise.all([desk.signIn('demo.manager'), tab.signIn('demo.owner')])
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409])
    expect(answers.find((a) => a.status === 409)!.body.Error.Code).toBe('DeskFull')
    expect(validTokens()).toHaveLength(2)
    expect((await desk.session()).body.Desk.Staff).toHaveLength(2)
  })
})

describe('guessing a PIN, and what a PIN costs the server', () => {
  const guessRedis = withRedis()

  it.each([
    ['one memory store', false],
    ['two instances on one redis-server', true],
  ])(
    'guesses sent all at once (%s) are never checked more often than the attempts allowed',
    async (_, shared) => {
      const store = shared ? redisSessionStore(guessRedis.client) : memorySessionStore()
      const { proxy, desk, adaToken, miaToken } = await twoAtDesk({}, store)
      await desk.lock()
      const there = shared ? browser((await secondInstance(store)).origin) : proxy.browser()
      there.cookie = desk.cookie
      const hashes = countHashes()
      const guesses = Array.from({ length: 16 }, (_, i) => String(1000 + i))
      const answers = await Promise.all(guesses.map((pin, i) => (i % 2 ? there : desk).unlock(ADA, pin)))
      // Five attempts allowed: at most five PINs checked, whatever the others were told (a wrong PIN, no
      // such staff member now, or 503 for a desk changed by too many at once).
      expect(hashes.count).toBeLessThanOrEqual(5)
      for (const answer of answers) expect([403, 404, 503]).toContain(answer.status)
      expect(answers.filter((a) => a.body.Error.AttemptsLeft > 0).length).toBeLessThanOrEqual(4)
      expect(validTokens()).toEqual([miaToken])
      expect(validTokens()).not.toContain(adaToken)
      expect((await desk.unlock(ADA, PINS.ada)).status).toBe(404)
    },
  )

  it('whoever finds the desk unlocked cannot change that staff member’s PIN without the current one, nor approve as them', async () => {
    // Mia, a manager, walks away from the desk unlocked; a colleague tries to give her a PIN of their own.
    const { desk, proxy } = await twoAtDesk()
    const set = await desk.setPin('0000')
    expect([set.status, set.body.Error.Code]).toEqual([400, 'InvalidParameter'])
    const guessed = await desk.post('/mindbody/desk/pin', { Pin: '0000', CurrentPin: '1111' })
    expect(guessed.body.Error).toMatchObject({ Code: 'WrongPin', AttemptsLeft: 4 })
    await desk.unlock(ADA, PINS.ada)
    const id = (await desk.refund()).body.Error.ApprovalId
    expect((await desk.approve(id, MIA, '0000')).body.Error.Code).toBe('WrongPin')
    expect(refunds()).toBe(0)
    // Mia herself changes it, with her current PIN; the new one approves, the old one no longer does.
    await desk.unlock(MIA, PINS.mia)
    expect((await desk.post('/mindbody/desk/pin', { Pin: '2468', CurrentPin: PINS.mia })).status).toBe(200)
    await desk.unlock(ADA, PINS.ada)
    expect((await desk.approve(id, MIA, PINS.mia)).body.Error.Code).toBe('WrongPin')
    expect((await desk.approve(id, MIA, '2468')).status).toBe(204)
    expect((await desk.refund(undefined, id)).status).toBe(200)
    expect(proxy.events.filter((e) => e.type === 'desk-pin-set')).toHaveLength(3)
  })

  it('counts wrong PINs given for approvals and for unlocks together', async () => {
    const { desk, miaToken } = await twoAtDesk()
    const id = (await desk.refund()).body.Error.ApprovalId
    await desk.lock()
    const hashes = countHashes()
    for (let i = 0; i < 3; i++) await desk.unlock(MIA, '0000')
    expect((await desk.approve(id, MIA, '0000')).body.Error.AttemptsLeft).toBe(1)
    expect((await desk.approve(id, MIA, '0001')).body.Error.AttemptsLeft).toBe(0)
    expect((await desk.approve(id, MIA, PINS.mia)).status).toBe(404)
    expect(hashes.count).toBe(5)
    expect(validTokens()).not.toContain(miaToken)
  })

  it('a right PIN after wrong ones gives the desk’s attempts back, as before', async () => {
    const { desk } = await twoAtDesk({ desk: { pinAttempts: 2 }, signInLimit: { max: 50, windowMs: 60_000 } })
    await desk.lock()
    for (let round = 0; round < 3; round++) {
      expect((await desk.unlock(ADA, '0000')).body.Error.AttemptsLeft).toBe(1)
      expect((await desk.unlock(ADA, PINS.ada)).status).toBe(200)
      await desk.lock()
    }
  })

  it('one cookie cannot make the server hash PINs without end', async () => {
    const { desk } = await twoAtDesk()
    await desk.signIn('demo.owner')
    const hashes = countHashes()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => desk.setPin(String(2000 + i))))
    expect(hashes.count).toBeLessThanOrEqual(5)
    expect(answers.filter((a) => a.status === 200).length).toBe(hashes.count)
    // Refused as too many, or (once one of them has set it) as needing the current PIN.
    for (const refused of answers.filter((a) => a.status !== 200))
      expect([429, 400]).toContain(refused.status)
    // Nor by changing it again and again: every try is counted before its current PIN is hashed.
    for (let i = 0; i < 10; i++) await desk.post('/mindbody/desk/pin', { Pin: '3579', CurrentPin: '3579' })
    expect(hashes.count).toBeLessThanOrEqual(5)
    // Nor by guessing: a staff member unknown, or with no PIN, costs no hash.
    await desk.endShift()
    await desk.signIn('demo.owner')
    await desk.lock()
    const before = hashes.count
    for (let i = 0; i < 10; i++) {
      expect((await desk.unlock(42, '1234')).status).toBe(404)
      expect((await desk.unlock(0, '1234')).status).toBe(409)
    }
    expect(hashes.count).toBe(before)
  })
})

describe('approvals, attacked', () => {
  const approvalRedis = withRedis()

  /** Ada active asks for a refund, which Mia approves: the approval's id. */
  async function approved(desk: Browser, body: object = { SaleId: 5 }, path = REFUND) {
    const id = (await desk.refund(body, undefined, path)).body.Error.ApprovalId as string
    expect((await desk.approve(id, MIA, PINS.mia)).status).toBe(204)
    return id
  }

  it.each([
    ['one memory store', false],
    ['two instances on one redis-server', true],
  ])('an approval sent eight times at once (%s) goes to Mindbody once', async (_, shared) => {
    const store = shared ? redisSessionStore(approvalRedis.client) : memorySessionStore()
    const { desk } = await twoAtDesk({}, store)
    await desk.unlock(ADA, PINS.ada)
    const id = await approved(desk)
    const second = shared ? browser((await secondInstance(store)).origin) : desk
    second.cookie = desk.cookie
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? second : desk).refund(undefined, id)),
    )
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1)
    for (const refused of answers.filter((a) => a.status !== 200))
      expect([403, 503]).toContain(refused.status)
    expect(refunds()).toBe(1)
  })

  it('the memory store’s compare-and-set lets one of two writers win, never both', async () => {
    const store = memorySessionStore()
    expect(await store.swap!('desk', null, 'first', 60_000)).toBe(true)
    const won = await Promise.all([
      store.swap!('desk', 'first', 'mine', 60_000),
      store.swap!('desk', 'first', 'theirs', 60_000),
    ])
    expect(won.filter(Boolean)).toHaveLength(1)
    expect(await store.read!('desk')).toBe(won[0] ? 'mine' : 'theirs')
  })

  it('an approval raced by its cancel and its use goes to Mindbody at most once, and never after the cancel answered', async () => {
    const { desk } = await twoAtDesk()
    await desk.unlock(ADA, PINS.ada)
    for (let round = 0; round < 3; round++) {
      const id = (await desk.refund({ SaleId: round })).body.Error.ApprovalId
      const before = refunds()
      const [given, cancelled] = await Promise.all([desk.approve(id, MIA, PINS.mia), desk.cancel(id)])
      expect([204, 404]).toContain(given.status)
      expect([204, 404]).toContain(cancelled.status)
      const used = await desk.refund({ SaleId: round }, id)
      if (cancelled.status === 204) expect(used.body.Error.Code).toBe('ApprovalInvalid')
      expect(refunds() - before).toBeLessThanOrEqual(1)
    }
  })

  it('an approval cancelled after it was given can no longer be used', async () => {
    const { desk } = await twoAtDesk()
    await desk.unlock(ADA, PINS.ada)
    const id = await approved(desk)
    expect((await desk.cancel(id)).status).toBe(204)
    expect((await desk.refund(undefined, id)).body.Error.Code).toBe('ApprovalInvalid')
    expect(refunds()).toBe(0)
  })

  it('one desk cannot give, use or cancel another desk’s approval', async () => {
    const { proxy, desk } = await twoAtDesk()
    await desk.unlock(ADA, PINS.ada)
    const other = proxy.browser()
    await other.signIn('demo.manager')
    await other.setPin(PINS.mia)
    const theirs = (await other.refund()).body.Error.ApprovalId
    expect((await desk.approve(theirs, MIA, PINS.mia)).status).toBe(404)
    expect((await desk.cancel(theirs)).status).toBe(404)
    expect((await other.approve(theirs, MIA, PINS.mia)).status).toBe(204)
    expect((await desk.refund(undefined, theirs)).body.Error.Code).toBe('ApprovalInvalid')
    expect((await other.refund(undefined, theirs)).status).toBe(200)
    expect(refunds()).toBe(1)
  })

  it('an approval goes only with the call it was given for, spelled as it was, and survives every misuse', async () => {
    const { desk, proxy } = await twoAtDesk()
    await desk.unlock(ADA, PINS.ada)
    const query = '?request.a=1&request.b=2'
    const id = await approved(desk, { SaleId: 5 }, REFUND + query)
    for (const path of [
      `${REFUND}?request.b=2&request.a=1`,
      `${REFUND}?request.a=%31&request.b=2`,
      `${REFUND}?request.a=1&request.b=2&request.b=3`,
      `${REFUND}`,
      `/mindbody/public/v6/Sale/ReturnSale${query}`,
      `/mindbody/public/v6/sale/returnsale.${query}`,
      `/mindbody/public/v5/sale/returnsale${query}`,
      `${REFUND}/${query}`,
    ]) {
      const answer = await desk.refund({ SaleId: 5 }, id, path)
      expect([400, 403, 404], path).toContain(answer.status)
      if (answer.status === 403) expect(answer.body.Error.Code, path).toMatch(/^Approval(Invalid|Required)$/)
    }
    const raw = await pageRequest(
      proxy.origin,
      'POST',
      `/mindbody/public/v6/sale/returnsale;x=1${query}`,
      [`Cookie: ${desk.cookie}`, `X-Mindbody-Approval: ${id}`],
      JSON.stringify({ SaleId: 5 }),
    )
    expect(raw.status).toBe(400)
    expect(refunds()).toBe(0)
    expect((await desk.refund({ SaleId: 5 }, id, REFUND + query)).status).toBe(200)
    expect(refunds()).toBe(1)
  })

  it.each([
    '/public/v6/Sale/ReturnSale',
    '/public/V6/sale/RETURNSALE',
    '/public/v06/sale/returnsale',
    '/public/v6/sale/returnsale.',
    '/public/v6/sale/returnsale%2e',
    '/public/v6/sale/returnsale%20',
    '/public/v6/sale/returnsale%3b',
    '/public/v6/sale/returnsal%65',
    '/public/v6/%73ale/returnsale',
    '/public/v6/sale/returnsale;x=1',
    '/public/v6/sale/returnsale/',
    '/public/v6/sale//returnsale',
    '/public/v6/x/../sale/returnsale',
    '/public/v6/sale%2freturnsale',
    '/public/v6/sale/returnsale%EF%BC%8E',
  ])('POST %s at an unlocked desk never reaches Mindbody without an approval', async (spelling) => {
    const { proxy, desk } = await twoAtDesk()
    const answer = await pageRequest(
      proxy.origin,
      'POST',
      `/mindbody${spelling}`,
      [`Cookie: ${desk.cookie}`],
      JSON.stringify({ SaleId: 1 }),
    )
    expect([400, 403, 404]).toContain(answer.status)
    if (answer.status === 403) expect(answer.body).toContain('ApprovalRequired')
    expect(refunds()).toBe(0)
  })

  it('a GET the approvals map needs one, as its HEAD does, and neither’s approval lets the other through', async () => {
    const { desk } = await twoAtDesk({
      allow: () => true,
      approvals: { 'GET /client/clients': 'ViewClientProfileScreen' },
    })
    const CLIENTS = '/mindbody/public/v6/client/clients'
    const head = await desk.send(CLIENTS, { method: 'HEAD' })
    const get = await desk.send(CLIENTS)
    expect([head.status, get.status, get.body.Error.Code]).toEqual([403, 403, 'ApprovalRequired'])
    expect(upstream().filter((r) => /clients/i.test(r.decoded))).toEqual([])
    // The HEAD's id is only in a body HEAD has not; approve the GET's, and try it as a HEAD.
    const id = get.body.Error.ApprovalId
    expect((await desk.approve(id, MIA, PINS.mia, undefined)).status).toBe(204)
    expect((await desk.send(CLIENTS, { method: 'HEAD' }, { 'X-Mindbody-Approval': id })).status).toBe(403)
    expect(upstream().filter((r) => /clients/i.test(r.decoded))).toEqual([])
    await desk.send(CLIENTS, {}, { 'X-Mindbody-Approval': id })
    expect(upstream().filter((r) => /clients/i.test(r.decoded))).toHaveLength(1)
  })

  it('a staff member signed out elsewhere can no longer approve with their PIN, and leaves the desk', async () => {
    const { proxy, desk, miaToken, adaToken } = await twoAtDesk()
    await desk.unlock(ADA, PINS.ada)
    const id = (await desk.refund()).body.Error.ApprovalId
    // An admin signs Mia out everywhere (her sessions revoked in the store).
    expect(await proxy.proxy.sessions.revoke({ siteId: -99, userId: MIA })).toBe(1)
    const refused = await desk.approve(id, MIA, PINS.mia)
    expect(refused.status).toBe(404)
    expect((await desk.refund(undefined, id)).body.Error.Code).toBe('ApprovalInvalid')
    expect(refunds()).toBe(0)
    expect(validTokens()).toEqual([adaToken])
    expect(validTokens()).not.toContain(miaToken)
    expect((await desk.session()).body.Desk.Staff.map((s: { UserId: number }) => s.UserId)).toEqual([ADA])
    expect(proxy.events.some((e) => e.type === 'approval-granted')).toBe(false)
  })

  it('a mapped call with no desk at all is refused as signed out, not as a failure', async () => {
    const proxy = await deskProxy({ allowAnonymous: () => true })
    const stranger = proxy.browser()
    const answer = await stranger.refund()
    expect([answer.status, answer.body.Error.Code]).toEqual([401, 'Unauthorized'])
    expect(refunds()).toBe(0)
  })
})

describe('a store that stalls or fails', () => {
  const stallRedis = withRedis()

  it('a paused redis-server: every desk call answers 503, and nothing reaches Mindbody', async () => {
    const store = redisSessionStore(stallRedis.client)
    const { desk } = await twoAtDesk({ storeTimeoutMs: 300 }, store)
    await desk.unlock(ADA, PINS.ada)
    const id = (await desk.refund()).body.Error.ApprovalId
    expect((await desk.approve(id, MIA, PINS.mia)).status).toBe(204)
    const before = upstream().length
    stallRedis.server.pause()
    try {
      const answers = await Promise.all([
        desk.staff(),
        desk.refund(undefined, id),
        desk.session(),
        desk.lock(),
        desk.unlock(MIA, PINS.mia),
        desk.setPin('1111'),
        desk.endShift(MIA),
        desk.signIn('demo.owner'),
        desk.signOut(),
        desk.approve(id, MIA, PINS.mia),
      ])
      for (const answer of answers) {
        expect([answer.status, answer.body.Error.Code]).toEqual([503, 'ServiceUnavailable'])
        expect(answer.set).toBeNull()
      }
      expect(upstream().slice(before)).toEqual([])
    } finally {
      stallRedis.server.resume()
    }
    // Back, the desk is as it was: Ada active, the approval still good once.
    expect((await desk.session()).body.User.Id).toBe(ADA)
    expect((await desk.refund(undefined, id)).status).toBe(200)
    expect(refunds()).toBe(1)
  })

  it('a store whose writes fail: nothing changes, no approval is spent, no call or token is left behind', async () => {
    const held = controlled(memorySessionStore())
    const { proxy, desk, adaToken, miaToken } = await twoAtDesk({}, held.store)
    await desk.unlock(ADA, PINS.ada)
    const id = (await desk.refund()).body.Error.ApprovalId
    expect((await desk.approve(id, MIA, PINS.mia)).status).toBe(204)
    held.failing.swap = true
    const before = upstream().filter((r) => !/usertoken\/(issue|revoke)/.test(r.decoded)).length
    for (const attempt of [
      () => desk.refund(undefined, id),
      () => desk.refund({ SaleId: 9 }),
      () => desk.lock(),
      () => desk.unlock(MIA, PINS.mia),
      () => desk.endShift(MIA),
      () => desk.signIn('demo.owner'),
    ])
      expect((await attempt()).status).toBe(503)
    expect(upstream().filter((r) => !/usertoken\/(issue|revoke)/.test(r.decoded)).length).toBe(before)
    // The owner's sign-in went to Mindbody, and its token was revoked when the desk could not keep it.
    expect(validTokens().sort()).toEqual([adaToken, miaToken].sort())
    // Nor is a session of hers left listed, as if she were signed in somewhere.
    const listed = await proxy.proxy.sessions.list({ siteId: -99 })
    expect(listed.map((r) => r.userId).sort()).toEqual([ADA, MIA])
    held.failing.swap = false
    const session = await desk.session()
    expect([session.body.User.Id, session.body.Desk.Staff.length]).toEqual([ADA, 2])
    expect((await desk.refund(undefined, id)).status).toBe(200)
    expect(refunds()).toBe(1)
  })

  it('a store whose reads fail: every call with the desk’s cookie answers 503, and nothing is sent', async () => {
    const held = controlled(memorySessionStore())
    const { desk } = await twoAtDesk({}, held.store)
    held.failing.read = true
    const before = upstream().length
    for (const attempt of [
      () => desk.staff(),
      () => desk.session(),
      () => desk.signIn('demo.owner'),
      () => desk.unlock(ADA, PINS.ada),
      () => desk.signOut(),
    ])
      expect((await attempt()).status).toBe(503)
    expect(upstream().slice(before)).toEqual([])
  })
})

describe('the desk’s cookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to the proxy’s path, and lasts as long as the desk', async () => {
    const proxy = await deskProxy()
    const desk = proxy.browser()
    const signedIn = await desk.signIn('demo.staff')
    expect(signedIn.set).toMatch(
      /^mindbody-session\.-99=[^;]+; Path=\/mindbody; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    )
    const maxAge = Number(/Max-Age=(\d+)/.exec(signedIn.set!)![1])
    expect(maxAge).toBeGreaterThan(23 * 3600)
    expect(maxAge).toBeLessThanOrEqual(24 * 3600)
    const ended = await desk.endShift()
    expect(ended.set).toMatch(
      /^mindbody-session\.-99=; Path=\/mindbody; Max-Age=0; HttpOnly; SameSite=Strict$/,
    )

    const secure = await deskProxy({
      secure: true,
      session: { store: memorySessionStore(), transient: true },
    })
    const there = secure.browser()
    const answer = await there.signIn('demo.staff')
    expect(answer.set).toMatch(
      /^__Secure-mindbody-session\.-99=[^;]+; Path=\/mindbody; HttpOnly; SameSite=Strict; Secure$/,
    )
  })

  it('is renewed with the token it stands for, so a renewed sign-in outlives the first day', async () => {
    const proxy = await deskProxy()
    const desk = proxy.browser()
    await desk.signIn('demo.manager')
    const token = validTokens()[0]!
    const renewed = await desk.renew()
    expect(renewed.status).toBe(200)
    expect(renewed.set).toMatch(/HttpOnly; SameSite=Strict/)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 25 * 3600_000)
    expect((await desk.staff()).status).toBe(200)
    expect(lastToken()).toBe(token)
  })
})

describe('hostile bodies to the desk’s routes', () => {
  const pin = (Pin: unknown, UserId: unknown = ADA, more: object = {}) =>
    JSON.stringify({ UserId, Pin, ...more })
  const bodies = [
    'not json',
    '{"UserId":',
    '[]',
    pin(PINS.ada).replace(/^/, '[') + ']',
    'null',
    `"${PINS.ada}"`,
    PINS.ada,
    'true',
    pin(Number(PINS.ada)),
    pin('٤٨٢١'),
    pin('４８２１'),
    pin('۴۸۲۱'),
    pin(`${PINS.ada}\n`),
    pin(` ${PINS.ada}`),
    pin(`${PINS.ada}0`),
    pin(PINS.ada.slice(1)),
    pin([PINS.ada]),
    pin({ toString: PINS.ada }),
    pin(PINS.ada, String(ADA)),
    pin(PINS.ada, ADA + 0.5),
    pin(PINS.ada, [ADA]),
    pin(PINS.ada, { $ne: 0 }),
    pin(PINS.ada, true),
    `{"UserId":1e400,"Pin":"${PINS.ada}"}`,
    `{"UserId":9007199254740993,"Pin":"${PINS.ada}"}`,
    pin(PINS.ada, ADA, { Reason: '' }),
    pin(PINS.ada, ADA, { Reason: '   ' }),
    pin(PINS.ada, ADA, { Reason: 'x'.repeat(501) }),
    pin(PINS.ada, ADA, { Reason: 42 }),
    JSON.stringify({ UserId: ADA, Pin: PINS.ada, pad: 'x'.repeat(5000) }),
  ]

  it('answers each one 400 or 413 on every route: nothing hashed, nothing changed, nothing sent', async () => {
    const { proxy, desk } = await twoAtDesk()
    await desk.unlock(ADA, PINS.ada)
    const id = (await desk.refund()).body.Error.ApprovalId
    const state = JSON.stringify((await desk.session()).body)
    const hashes = countHashes()
    const before = upstream().length
    const routes = [
      '/mindbody/desk/unlock',
      '/mindbody/desk/pin',
      '/mindbody/desk/end',
      `/mindbody/desk/approvals/${id}`,
    ]
    for (const route of routes)
      for (const body of bodies) {
        const answer = await pageRequest(proxy.origin, 'POST', route, [`Cookie: ${desk.cookie}`], body)
        expect([400, 413], `${route} ${body.slice(0, 60)}`).toContain(answer.status)
        expect(JSON.parse(unchunked(answer.body)).Error.Code).toMatch(/^(InvalidParameter|PayloadTooLarge)$/)
      }
    // A body with no end, said to be long: refused before it is read.
    const long = await pageRequest(
      proxy.origin,
      'POST',
      '/mindbody/desk/unlock',
      [`Cookie: ${desk.cookie}`],
      'x'.repeat(200_000),
    )
    expect(long.status).toBe(413)
    expect(hashes.count).toBe(0)
    expect(upstream().slice(before)).toEqual([])
    expect(JSON.stringify((await desk.session()).body)).toBe(state)
    // Not one of them counted as a wrong PIN.
    await desk.lock()
    expect((await desk.unlock(ADA, '0000')).body.Error.AttemptsLeft).toBe(4)
  })

  it('reads no prototype from a body: __proto__ names nobody', async () => {
    const { proxy, desk } = await twoAtDesk()
    await desk.lock()
    const smuggled = `{"__proto__":{"UserId":${ADA},"Pin":"${PINS.ada}"}}`
    const answer = await pageRequest(
      proxy.origin,
      'POST',
      '/mindbody/desk/unlock',
      [`Cookie: ${desk.cookie}`],
      smuggled,
    )
    expect(answer.status).toBe(400)
    expect(({} as { UserId?: unknown }).UserId).toBeUndefined()
  })
})

describe('another site’s page, or a link', () => {
  it('cannot lock, unlock, end a shift, set a PIN or approve: 403 without the header or from another origin, 405 by GET', async () => {
    const { proxy, desk } = await twoAtDesk()
    const id = (await desk.refund()).body.Error.ApprovalId
    const state = JSON.stringify((await desk.session()).body)
    const eventsBefore = proxy.events.length
    const body = JSON.stringify({ UserId: MIA, Pin: PINS.mia, Reason: 'x' })
    for (const path of ['lock', 'unlock', 'end', 'pin', `approvals/${id}`]) {
      const foreign: Array<Record<string, string>> = [
        { 'X-Mindbody-Proxy': '' },
        { Origin: 'http://evil.test' },
      ]
      for (const headers of foreign) {
        const answer = await desk.send(`/mindbody/desk/${path}`, { method: 'POST', body }, headers)
        expect([answer.status, answer.body.Error.Code]).toEqual([403, 'Forbidden'])
      }
      expect((await desk.send(`/mindbody/desk/${path}`)).status).toBe(405)
    }
    expect(
      (
        await desk.send(
          `/mindbody/desk/approvals/${id}`,
          { method: 'DELETE' },
          { Origin: 'http://evil.test' },
        )
      ).status,
    ).toBe(403)
    expect(JSON.stringify((await desk.session()).body)).toBe(state)
    expect(upstream().filter((r) => /usertoken\/revoke/.test(r.decoded))).toEqual([])
    const events = proxy.events.slice(eventsBefore)
    expect(events.filter((e) => e.type.startsWith('desk-') || e.type === 'approval-granted')).toEqual([])
  })

  it('an approval given while the desk is locked waits for an unlock: a locked desk sends nothing', async () => {
    const { desk } = await twoAtDesk()
    await desk.unlock(ADA, PINS.ada)
    const id = (await desk.refund()).body.Error.ApprovalId
    await desk.lock()
    expect((await desk.approve(id, MIA, PINS.mia)).status).toBe(204)
    expect((await desk.refund(undefined, id)).status).toBe(423)
    expect(refunds()).toBe(0)
    await desk.unlock(ADA, PINS.ada)
    expect((await desk.refund(undefined, id)).status).toBe(200)
    expect(refunds()).toBe(1)
  })
})

describe('owners at a desk', () => {
  it('a second owner (User.Id 0 too) is refused, its token revoked, and the first owner keeps the desk', async () => {
    const owners = await startStandIn({
      users: [
        ...USERS,
        { Username: 'demo.owner2', Password: PASSWORD, User: { Id: 0, FirstName: 'Hedy', Type: 'Owner' } },
      ],
    })
    open.push(owners)
    harness.standIn = owners
    owners.use(refundHandler(owners))
    const proxy = await deskProxy()
    const desk = proxy.browser()
    await desk.signIn('demo.staff')
    await desk.setPin(PINS.ada)
    await desk.signIn('demo.owner')
    await desk.setPin(PINS.grace)
    const graceToken = validTokens().at(-1)!
    const second = await desk.signIn('demo.owner2')
    expect([second.status, second.body.Error.Code]).toEqual([409, 'DeskConflict'])
    expect(validTokens()).toHaveLength(2)
    expect(validTokens()).toContain(graceToken)
    const session = await desk.session()
    expect([session.body.User.FirstName, active(session.body)]).toEqual(['Grace', [0]])
    // The owner approves a front desk's refund with her PIN, as UserId 0.
    expect((await desk.unlock(ADA, PINS.ada)).status).toBe(200)
    const id = (await desk.refund()).body.Error.ApprovalId
    expect((await desk.approve(id, 0, PINS.grace)).status).toBe(204)
    expect((await desk.refund(undefined, id)).status).toBe(200)
    expect(proxy.events.find((e) => e.type === 'approval-granted')).toMatchObject({
      userId: 0,
      userName: 'Grace',
    })
  })
})

describe('a staff member signed out elsewhere', () => {
  it('cannot unlock the desk with their PIN: they leave it, their token revoked, the others stay', async () => {
    const { proxy, desk, adaToken, miaToken } = await twoAtDesk()
    await desk.lock()
    await proxy.proxy.sessions.revoke({ siteId: -99, userId: ADA })
    const answer = await desk.unlock(ADA, PINS.ada)
    expect(answer.status).toBe(401)
    expect(desk.cookie).toBeTruthy()
    expect(validTokens()).toEqual([miaToken])
    expect(validTokens()).not.toContain(adaToken)
    expect((await desk.session()).body.Desk.Staff.map((s: { UserId: number }) => s.UserId)).toEqual([MIA])
    expect((await desk.unlock(MIA, PINS.mia)).status).toBe(200)
  })
})

describe('nothing secret, anywhere', () => {
  const secretRedis = withRedis()

  it('no PIN, PIN hash or salt, password, token, key or secret in any answer, cookie, event, log or Redis value', async () => {
    const hashes = countHashes()
    const store = redisSessionStore(secretRedis.client)
    const { proxy, desk } = await twoAtDesk({}, store)
    const tokens = validTokens()
    await desk.lock()
    await desk.unlock(ADA, '0000')
    await desk.unlock(ADA, PINS.ada)
    const id = (await desk.refund({ SaleId: 1 })).body.Error.ApprovalId
    await desk.approve(id, MIA, '1111')
    await desk.approve(id, MIA, PINS.mia)
    await desk.refund({ SaleId: 1 }, id)
    await desk.post('/mindbody/desk/pin', { Pin: PINS.grace })
    const dump = await Promise.all(
      ((await secretRedis.client.keys('*')) as string[]).map(async (k) =>
        (await secretRedis.client.type(k)) === 'string' ? `${k} ${await secretRedis.client.get(k)}` : k,
      ),
    )
    await desk.endShift(MIA)
    await desk.signOut()
    const secrets = [PASSWORD, API_KEY, SECRET, ...Object.values(PINS), ...tokens, ...hashes.kept]
    expect(hashes.kept.length).toBeGreaterThan(4)
    const logs = logged.flatMap((spy) => spy.mock.calls.flat().map(String))
    const seen = [...everything, JSON.stringify(proxy.events), ...dump, ...logs].join('\n')
    for (const secret of secrets) expect(seen).not.toMatch(exactly(secret))
    expect(seen).not.toMatch(/"(salt|hash|iterations|AccessToken)"/)
  })
})
