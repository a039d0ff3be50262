import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { memoryLimitStore, memorySessionStore, type LimitStore, type SessionStore } from '../../src/server'
import { ADA, deskHarness, PINS } from './deskHarness'
import { gate } from './gate'
import { PAGE_ORIGIN as APP } from './rawSocket'

/**
 * What an adversary's pass found after issue 32's change to the desk's unlock: a session ended while an
 * unlock was on its way must stay ended, and a limit store that answers nonsense must not open the limit.
 * Nothing here may log, or leave a promise rejected.
 */
let logged: Array<ReturnType<typeof vi.spyOn>> = []
let unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)
beforeEach(() => {
  logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level))
  unhandled = []
  process.on('unhandledRejection', onUnhandled)
})
afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
  for (const spy of logged) expect(spy.mock.calls).toEqual([])
  expect(unhandled).toEqual([])
  vi.restoreAllMocks()
})

const harness = deskHarness(APP)
const { twoAtDesk, upstream, deskProxy } = harness

/** A session store whose `method` call number `at` (from when it is armed) waits at a gate. */
function holding(store: SessionStore, method: 'swap' | 'update') {
  let left = -1
  const held = gate()
  const wrapped: SessionStore = {
    ...store,
    [method]: async (...args: unknown[]) => {
      if (left-- === 0) (held.arrive(), await held.opened)
      return (store[method] as (...a: unknown[]) => Promise<unknown>)(...args)
    },
  }
  return { store: wrapped, held, arm: (at: number) => void (left = at - 1) }
}

/** What went upstream with `token` after the first `from` calls, sign-outs aside. */
const usedBesidesRevoke = (token: string, from: number) =>
  upstream()
    .slice(from)
    .filter((r) => r.headers.get('Authorization') === token && !/revoke/.test(r.decoded))

describe('a session ended while an unlock is on its way stays ended', () => {
  it('revoked by proxy.sessions while the unlock waits to write the desk: 401, and she is not active', async () => {
    const gated = holding(memorySessionStore(), 'swap')
    const { proxy, desk, adaToken } = await twoAtDesk({}, gated.store)
    // The unlock's third write of the desk is its own (an attempt taken, the attempts given back, the wake).
    gated.arm(3)
    const unlocking = desk.unlock(ADA, PINS.ada)
    await gated.held.arrived
    expect(await proxy.proxy.sessions.revoke({ siteId: -99, userId: ADA })).toBe(1)
    const before = upstream().length
    gated.held.open()
    const answer = await unlocking

    expect(answer.status).toBe(401)
    expect(answer.body.Error.Code).toBe('SessionExpired')
    expect((await desk.session()).body?.User?.Id).not.toBe(ADA)
    expect(usedBesidesRevoke(adaToken, before)).toEqual([])
  })

  it('signed out at the desk while the unlock waits to store the session: it does not come back', async () => {
    const gated = holding(memorySessionStore(), 'update')
    const { desk, adaToken } = await twoAtDesk({}, gated.store)
    expect((await desk.unlock(ADA, PINS.ada)).status).toBe(200)
    gated.arm(1)
    const unlocking = desk.unlock(ADA, PINS.ada)
    await gated.held.arrived
    const before = upstream().length
    expect((await desk.send('/mindbody/public/v6/usertoken/revoke', { method: 'DELETE' })).status).toBe(200)
    gated.held.open()
    const answer = await unlocking

    expect(answer.status).toBe(401)
    const active = (answer.body.Desk?.Staff ?? []).filter((s: { Active: boolean }) => s.Active)
    expect(active).toEqual([])
    expect((await desk.session()).body?.User?.Id).not.toBe(ADA)
    expect(usedBesidesRevoke(adaToken, before)).toEqual([])
  })

  it('a pass sent before a change does not show a revoked staff member as active', async () => {
    const { proxy, desk } = await twoAtDesk()
    const old = desk.cookie
    expect((await desk.unlock(ADA, PINS.ada)).status).toBe(200)
    await proxy.proxy.sessions.revoke({ siteId: -99, userId: ADA })
    const replay = proxy.browser()
    replay.cookie = old
    const shown = await replay.session()

    expect(shown.status).toBe(401)
    expect(shown.body.Error.Code).toBe('SessionExpired')
    expect((await desk.session()).body?.User?.Id).not.toBe(ADA)
  })
})

describe('a limit store that answers nonsense', () => {
  const wrong = JSON.stringify({ Username: 'demo.staff', Password: 'not-the-password' })
  for (const [name, count] of [
    ['undefined', undefined],
    ['NaN', NaN],
    ['a string', '999'],
    ['a negative count', -1],
  ] as const)
    it(`(${name}) never opens the limit: no guess reaches Mindbody, each is refused 503`, async () => {
      const real = memoryLimitStore()
      const limitStore: LimitStore = { ...real, hit: async () => count as unknown as number }
      const browser = (await deskProxy({ limitStore })).browser()
      const before = upstream().length
      const statuses: number[] = []
      for (let i = 0; i < 8; i++)
        statuses.push(
          (await browser.send('/mindbody/public/v6/usertoken/issue', { method: 'POST', body: wrong })).status,
        )

      expect(statuses).toEqual(Array(8).fill(503))
      expect(
        upstream()
          .slice(before)
          .filter((r) => /usertoken\/issue/.test(r.decoded)),
      ).toEqual([])
    })
})
