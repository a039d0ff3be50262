import { act } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { renderHookWithProviders } from './renderWithProviders'
import { STAFF, serveMockMindbody } from './server'
import { renderSignedIn, useSession } from './session'

const MINUTE = 60_000

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
    const { server } = await import('./server')
    const { http, HttpResponse } = await import('msw')
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

  it('signs out when a clock far behind meets a token already past its Expires', async () => {
    serveMockMindbody({ lifetimeMs: 10_000 })
    // Signed out at once, so this one cannot wait for the signed-in render as renderSignedIn does.
    const { result } = renderHookWithProviders(useSession)
    await act(() => result.current.signIn.mutateAsync(STAFF))
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(result.current.state.signOutReason).toBe('expired')
  })
})
