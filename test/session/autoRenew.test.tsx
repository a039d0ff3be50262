import { act, waitFor } from '@testing-library/react'
import { delay, http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSharedStorage } from '../../src/testing'
import { renderHookWithProviders } from '../renderWithProviders'
import { API, server, STAFF, serveMockMindbody } from '../server'
import { renderSignedIn, useSession } from '../renderSignedIn'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const KEY = 'mindbody-user-token:https://api.mindbodyonline.com:-99:6'
/** A 10-minute token renewed 2 minutes before its expiry, which comes 30 s early: the first try is at 7.5 min. */
const LIFETIME = 10 * MINUTE
const FIRST_TRY = 7.5 * MINUTE
const options = { autoRenew: { beforeExpiryMs: 2 * MINUTE } }

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms))
const answerRenew = (status: number, headers?: Record<string, string>) =>
  server.use(
    http.post(`${API}/renew`, () =>
      HttpResponse.json({ Error: { Message: `HTTP ${status}`, Code: 'Denied' } }, { status, headers }),
    ),
  )

beforeEach(
  () => void vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] }),
)
afterEach(() => void vi.useRealTimers())

function serve() {
  const served = serveMockMindbody({ lifetimeMs: LIFETIME })
  const renews = () => served.requests.filter((r) => r.url.endsWith('/renew')).length
  return { ...served, renews }
}

describe('autoRenew', () => {
  it('renews the given time before expiry, while the page is open', async () => {
    const { renews } = serve()
    const { result, token } = await renderSignedIn(options)
    await advance(FIRST_TRY - 10_000)
    expect(renews()).toBe(0)
    await advance(20_000)
    await waitFor(() =>
      expect(result.current.state.expiresAt?.getTime()).toBe(Date.parse(token.Expires!) + DAY),
    )
    expect(renews()).toBe(1)
  })

  it.each(['server-error', 'network-error', 'rate-limited'] as const)(
    'keeps the session through a temporary failure (%s), tries again with backoff, and renews once it heals',
    async (failure) => {
      const { mindbody, renews } = serve()
      const onSignOut = vi.fn()
      const { result, token } = await renderSignedIn({ ...options, onSignOut })
      mindbody.fail(failure, ['renew'])
      await advance(FIRST_TRY + 300)
      expect(renews()).toBe(1)
      await advance(15_000)
      // Backoff from about 1 s, doubling: 3 or 4 more tries in 15 s, not one a second.
      expect(renews()).toBeGreaterThanOrEqual(3)
      expect(renews()).toBeLessThanOrEqual(5)
      expect(result.current.state).toMatchObject({ accessToken: token.AccessToken, signOutReason: null })

      mindbody.fail(null)
      await advance(MINUTE)
      await waitFor(() =>
        expect(result.current.state.expiresAt?.getTime()).toBe(Date.parse(token.Expires!) + DAY),
      )
      expect(result.current.state.isAuthenticated).toBe(true)
      expect(onSignOut).not.toHaveBeenCalled()
    },
  )

  it('keeps trying until the token expires, then signs out as renew-failed, storage and all', async () => {
    const { mindbody, renews } = serve()
    const onSignOut = vi.fn()
    const { result } = await renderSignedIn({ ...options, onSignOut, storage: 'local' })
    mindbody.fail('server-error', ['renew'])
    await advance(LIFETIME - 31_000)
    expect(result.current.state.isAuthenticated).toBe(true)
    expect(renews()).toBeGreaterThanOrEqual(5)
    await advance(2_000)
    expect(result.current.state.signOutReason).toBe('renew-failed')
    expect(onSignOut.mock.calls).toEqual([['renew-failed']])
    expect(localStorage.getItem(KEY)).toBeNull()
    // Counted once signed out: a jittered retry may still fall in the last seconds before the expiry.
    const tries = renews()
    await advance(5 * MINUTE)
    expect(renews()).toBe(tries)
  })

  it('waits at least the Retry-After of a 429 before trying again', async () => {
    const { renews } = serve()
    const { result } = await renderSignedIn(options)
    answerRenew(429, { 'Retry-After': '40' })
    await advance(FIRST_TRY + 1_000)
    expect(renews()).toBe(1)
    await advance(38_000)
    expect(renews()).toBe(1)
    await advance(3_000)
    expect(renews()).toBe(2)
    expect(result.current.state.isAuthenticated).toBe(true)
  })

  it('signs out at once as unauthorized on a 401: the token is dead', async () => {
    const { renews } = serve()
    const onSignOut = vi.fn()
    const { result } = await renderSignedIn({ ...options, onSignOut })
    answerRenew(401)
    await advance(FIRST_TRY + 1_000)
    expect(result.current.state.signOutReason).toBe('unauthorized')
    expect(onSignOut.mock.calls).toEqual([['unauthorized']])
    await advance(5 * MINUTE)
    expect(renews()).toBe(1)
  })

  it.each([400, 403])(
    'stops on a %i but keeps the session until the token expires, then says renew-failed',
    async (status) => {
      const { renews, mindbody } = serve()
      const onSignOut = vi.fn()
      const { result, token } = await renderSignedIn({ ...options, onSignOut })
      answerRenew(status)
      await advance(FIRST_TRY + 1_000)
      await advance(MINUTE)
      expect(renews()).toBe(1)
      expect(result.current.state).toMatchObject({ accessToken: token.AccessToken, signOutReason: null })
      expect(mindbody.isValid(token.AccessToken)).toBe(true)
      await advance(LIFETIME - FIRST_TRY - MINUTE)
      expect(result.current.state.signOutReason).toBe('renew-failed')
      expect(onSignOut.mock.calls).toEqual([['renew-failed']])
      expect(renews()).toBe(1)
    },
  )

  it('lets one tab at a time renew, retries included, and both pick the result up', async () => {
    const { renews } = serve()
    let inFlight = 0
    let most = 0
    let healthy = false
    server.use(
      http.post(`${API}/renew`, async () => {
        most = Math.max(most, ++inFlight)
        await delay(2_000)
        inFlight--
        // Passes through to the mock once healed.
        if (healthy) return undefined
        return HttpResponse.json({ Error: { Message: 'Busy.' } }, { status: 503 })
      }),
    )
    const shared = createSharedStorage()
    const a = renderHookWithProviders(useSession, { ...options, storage: shared.tab() }).result
    const b = renderHookWithProviders(useSession, { ...options, storage: shared.tab() }).result
    const token = await act(() => a.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(b.current.state.accessToken).toBe(token.AccessToken))

    await advance(FIRST_TRY + 40_000)
    expect(renews()).toBeGreaterThanOrEqual(4)
    expect(most).toBe(1)
    expect(a.current.state.isAuthenticated && b.current.state.isAuthenticated).toBe(true)

    healthy = true
    await advance(MINUTE)
    const renewed = Date.parse(token.Expires!) + DAY
    await waitFor(() => expect(a.current.state.expiresAt?.getTime()).toBe(renewed))
    await waitFor(() => expect(b.current.state.expiresAt?.getTime()).toBe(renewed))
    expect(most).toBe(1)
  })
})
