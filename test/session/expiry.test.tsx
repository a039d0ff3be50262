import { QueryClient } from '@tanstack/react-query'
import { act, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { renderHookWithProviders } from '../renderWithProviders'
import { API, server, serveMockMindbody } from '../server'
import { renderSignedIn, useSession } from '../renderSignedIn'

const MINUTE = 60_000
const KEY = 'mindbody-user-token:https://api.mindbodyonline.com:-99:6'

beforeEach(
  () => void vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] }),
)
afterEach(() => void vi.useRealTimers())

describe('expiry', () => {
  it('signs out when the token expires, counting the default 30 s leeway, and says why once', async () => {
    serveMockMindbody({ lifetimeMs: 10 * MINUTE })
    const onSignOut = vi.fn()
    const { result } = await renderSignedIn({ onSignOut })

    await act(() => vi.advanceTimersByTimeAsync(10 * MINUTE - 31_000))
    expect(result.current.state).toMatchObject({ isAuthenticated: true, isExpired: false })
    await act(() => vi.advanceTimersByTimeAsync(2_000))
    expect(result.current.state).toMatchObject({
      isAuthenticated: false,
      isExpired: true,
      signOutReason: 'expired',
    })
    expect(onSignOut.mock.calls).toEqual([['expired']])
  })

  it('honours a custom leeway', async () => {
    serveMockMindbody({ lifetimeMs: 10 * MINUTE })
    const { result } = await renderSignedIn({ expiryLeewayMs: 5 * MINUTE })
    await act(() => vi.advanceTimersByTimeAsync(5 * MINUTE + 1_000))
    expect(result.current.state.signOutReason).toBe('expired')
  })

  it('never expires a token without Expires locally', async () => {
    server.use(http.post('*/usertoken/issue', () => HttpResponse.json({ AccessToken: 'no-expiry' })))
    const { result } = await renderSignedIn()
    await act(() => vi.advanceTimersByTimeAsync(400 * 24 * 60 * MINUTE))
    expect(result.current.state).toMatchObject({ isAuthenticated: true, expiresAt: null })
  })

  it('leaves no timer behind after unmount', async () => {
    serveMockMindbody({ lifetimeMs: 10 * MINUTE })
    const { unmount } = await renderSignedIn({ autoRenew: {} })
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    unmount()
    // React Query's own garbage collection of the finished mutation takes 5 minutes; ours would run to 9.5.
    await act(() => vi.advanceTimersByTimeAsync(6 * MINUTE))
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('clocks', () => {
  const answerIssue = (body: object, headers?: Record<string, string>) =>
    server.use(http.post(`${API}/issue`, () => HttpResponse.json(body, { headers })))

  it.each([
    ['past its Expires', -3_600_000],
    ['inside the leeway of its Expires', 10_000],
  ])(
    'keeps a token that arrives %s, with its expiry unknown: no local sign-out, no auto-renew',
    async (_name, fromNow) => {
      const Expires = new Date(Date.now() + fromNow).toISOString()
      const { requests } = serveMockMindbody()
      answerIssue({ AccessToken: 'fresh-token', Expires })
      const { result } = await renderSignedIn({ autoRenew: {} })
      await act(() => vi.advanceTimersByTimeAsync(3 * 24 * 60 * MINUTE))
      expect(result.current.state).toMatchObject({ isAuthenticated: true, signOutReason: null })
      expect(result.current.state.expiresAt?.toISOString()).toBe(Expires)
      expect(requests.filter((r) => r.url.endsWith('/renew'))).toHaveLength(0)
    },
  )

  it('lets the server end a token of unknown expiry with a 401', async () => {
    answerIssue({ AccessToken: 'fresh-token', Expires: new Date(Date.now() - 3_600_000).toISOString() })
    server.use(http.get('*/public/v6/staff/staff', () => new HttpResponse(null, { status: 401 })))
    const { result } = await renderSignedIn()
    await result.current.client.get('/staff/staff').catch(() => {})
    await waitFor(() => expect(result.current.state.signOutReason).toBe('unauthorized'))
  })

  it.each([
    ['behind', -8 * MINUTE],
    ['ahead of', 8 * MINUTE],
  ])(
    "times expiry by the server's clock when the device runs %s it, read from the Date header",
    async (_name, offset) => {
      const { mindbody } = serveMockMindbody({ lifetimeMs: 10 * MINUTE, skewMs: -offset })
      const onSignOut = vi.fn()
      const { result, token } = await renderSignedIn({ onSignOut })
      // By this device's clock, Expires is 10 minutes off: the server's clock differs by `offset`.
      expect(Date.parse(token.Expires!) - Date.now()).toBeCloseTo(10 * MINUTE - offset, -4)
      await act(() => vi.advanceTimersByTimeAsync(10 * MINUTE - 31_000))
      expect(result.current.state.isAuthenticated).toBe(true)
      expect(mindbody.isValid(token.AccessToken)).toBe(true)
      await act(() => vi.advanceTimersByTimeAsync(2_000))
      expect(result.current.state.signOutReason).toBe('expired')
      expect(onSignOut.mock.calls).toEqual([['expired']])
    },
  )

  it('uses the server clock offset in another tab and after a reload, from storage', async () => {
    serveMockMindbody({ lifetimeMs: 10 * MINUTE, skewMs: -8 * MINUTE })
    const { unmount } = await renderSignedIn({ storage: 'local' })
    await waitFor(() => expect(localStorage.getItem(KEY)).not.toBeNull())
    expect(JSON.parse(localStorage.getItem(KEY)!).skew).toBeCloseTo(-8 * MINUTE, -4)
    unmount()
    const reloaded = renderHookWithProviders(useSession, { storage: 'local', queryClient: new QueryClient() })
    await waitFor(() => expect(reloaded.result.current.state.isAuthenticated).toBe(true))
    await act(() => vi.advanceTimersByTimeAsync(9 * MINUTE))
    expect(reloaded.result.current.state.isAuthenticated).toBe(true)
    await act(() => vi.advanceTimersByTimeAsync(MINUTE))
    expect(reloaded.result.current.state.signOutReason).toBe('expired')
  })

  it('still discards a stored token whose Expires has passed', async () => {
    localStorage.setItem(
      KEY,
      JSON.stringify({
        site: 'mindbody-user-token https://api.mindbodyonline.com -99 6',
        token: { AccessToken: 'old-token', Expires: new Date(Date.now() - 60_000).toISOString() },
        skew: 0,
      }),
    )
    const { result } = renderHookWithProviders(useSession, { storage: 'local' })
    await waitFor(() => expect(result.current.state.isRestoring).toBe(false))
    expect(result.current.state.isAuthenticated).toBe(false)
    expect(localStorage.getItem(KEY)).toBeNull()
  })
})
