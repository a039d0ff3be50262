// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTokenSession, type TokenSessionOptions } from '../../src/session/createTokenSession'
import { createSharedStorage } from '../../src/testing'
import { STAFF, serveMockMindbody } from '../server'
import type { IssueResponse } from '../../src'

/**
 * The session without React, as a provider drives it: created, started, acted on, stopped. Each
 * "provider" mirrors the page's token into a plain variable, as a provider does into its QueryClient.
 */
function provider(options: Partial<TokenSessionOptions> = {}) {
  const seen: Array<IssueResponse | null> = []
  const reasons: string[] = []
  const session = createTokenSession({
    config: { siteId: -99 },
    mirror: { get: () => seen.at(-1), set: (token) => void seen.push(token) },
    ...options,
  })
  session.onSignOut((reason) => void reasons.push(reason))
  const stop = session.start()
  return { session, seen, reasons, stop, shown: () => seen.at(-1)?.AccessToken ?? null }
}

const MINUTE = 60_000
let stops: Array<() => void> = []
const started = (options?: Partial<TokenSessionOptions>) => {
  const p = provider(options)
  stops.push(p.stop)
  return p
}
const restored = async (p: ReturnType<typeof provider>) =>
  vi.waitFor(() => expect(p.session.getStatus().isRestoring).toBe(false))

beforeEach(
  () => void vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] }),
)
afterEach(() => {
  stops.forEach((stop) => stop())
  stops = []
  vi.useRealTimers()
})

describe('createTokenSession, without React', () => {
  it('signs in once for every session of the page, and signs them all out with the reason', async () => {
    const { mindbody } = serveMockMindbody()
    const a = started()
    const b = started()
    await restored(a)
    const token = await a.session.signIn(STAFF)
    expect([a.shown(), b.shown()]).toEqual([token.AccessToken, token.AccessToken])
    expect(b.session.token()).toEqual(token)

    await b.session.signOut('revoked')
    expect([a.shown(), b.shown()]).toEqual([null, null])
    expect([a.reasons, b.reasons]).toEqual([['revoked'], ['revoked']])
    expect(mindbody.isValid(token.AccessToken, -99)).toBe(false)
  })

  it('ends the sign-in at expiry, as expired, and a 401 as unauthorized', async () => {
    serveMockMindbody({ lifetimeMs: 10 * MINUTE })
    const a = started()
    await restored(a)
    await a.session.signIn(STAFF)
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect([a.shown(), a.reasons]).toEqual([null, ['expired']])

    await a.session.signIn(STAFF)
    a.session.fail({ status: 401 })
    expect([a.shown(), a.reasons]).toEqual([null, ['expired', 'unauthorized']])
  })

  it('restores a kept token, restoring until it is read, and follows another tab', async () => {
    serveMockMindbody()
    const shared = createSharedStorage()
    const first = started({ storage: shared.tab() })
    await restored(first)
    const token = await first.session.signIn(STAFF)

    const other = started({ storage: shared.tab() })
    expect(other.session.getStatus().isRestoring).toBe(true)
    await restored(other)
    expect(other.shown()).toBe(token.AccessToken)

    await first.session.signOut('revoked')
    expect([other.shown(), other.reasons]).toEqual([null, ['other-tab']])
  })

  it('renews for the whole page with one request', async () => {
    const { requests } = serveMockMindbody()
    const a = started()
    const b = started()
    await restored(a)
    const token = await a.session.signIn(STAFF)
    const [one, two] = await Promise.all([a.session.renew(), b.session.renew()])
    expect(one).toEqual(two)
    expect(requests.filter((r) => r.url.endsWith('/renew'))).toHaveLength(1)
    expect(new Date(b.seen.at(-1)!.Expires!).getTime()).toBeGreaterThan(new Date(token.Expires!).getTime())
  })
})
