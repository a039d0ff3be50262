import { act, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderHookWithProviders } from './renderWithProviders'
import { API, server, serveMockMindbody } from './server'
import { renderSignedIn, useSession } from './session'

const DAY = 24 * 3600_000
afterEach(() => void vi.useRealTimers())

describe('useRenewToken', () => {
  it('extends the shared token with the answer', async () => {
    const { requests } = serveMockMindbody()
    const { result, token: issued } = await renderSignedIn()
    await act(() => result.current.renew.mutateAsync())
    await waitFor(() =>
      expect(result.current.state.expiresAt?.getTime()).toBe(Date.parse(issued.Expires!) + DAY),
    )
    expect(result.current.state.user).toEqual(issued.User)
    expect(requests[1]!.url).toBe(`${API}/renew`)
    expect(requests[1]!.headers.get('Authorization')).toBe(`Bearer ${issued.AccessToken}`)
  })

  it('shares one request between concurrent calls', async () => {
    const { requests } = serveMockMindbody()
    const { result } = await renderSignedIn()
    const [a, b] = await act(() =>
      Promise.all([result.current.renew.mutateAsync(), result.current.renew.mutateAsync()]),
    )
    expect(a).toEqual(b)
    expect(requests.filter((r) => r.url.endsWith('/renew'))).toHaveLength(1)
  })

  it.each([401, 403])('signs out as unauthorized on a %i', async (status) => {
    serveMockMindbody()
    const onSignOut = vi.fn()
    const { result } = await renderSignedIn({ onSignOut })
    server.use(
      http.post(`${API}/renew`, () =>
        HttpResponse.json({ Error: { Message: 'No.', Code: 'DeniedAccess' } }, { status }),
      ),
    )
    await act(() => result.current.renew.mutateAsync().catch(() => {}))
    await waitFor(() => expect(result.current.state.signOutReason).toBe('unauthorized'))
    expect(result.current.renew.error?.status).toBe(status)
    expect(onSignOut.mock.calls).toEqual([['unauthorized']])
  })

  it('keeps the token when a renew fails otherwise', async () => {
    const { mindbody } = serveMockMindbody()
    const { result } = await renderSignedIn()
    mindbody.fail('server-error', ['renew'])
    await act(() => result.current.renew.mutateAsync().catch(() => {}))
    await waitFor(() => expect(result.current.renew.error?.status).toBe(500))
    expect(result.current.state.isAuthenticated).toBe(true)
  })

  it('refuses to renew when nobody is signed in, sending nothing', async () => {
    const { requests } = serveMockMindbody()
    const { result } = renderHookWithProviders(useSession)
    await act(() => result.current.renew.mutateAsync().catch(() => {}))
    await waitFor(() => expect(result.current.renew.error?.kind).toBe('invalid-input'))
    expect(requests).toHaveLength(0)
  })
})

describe('autoRenew', () => {
  const MINUTE = 60_000

  it('renews the given time before expiry, while the page is open', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { requests } = serveMockMindbody({ lifetimeMs: 10 * MINUTE })
    const { result, token: issued } = await renderSignedIn({ autoRenew: { beforeExpiryMs: 2 * MINUTE } })
    await act(() => vi.advanceTimersByTimeAsync(7 * MINUTE))
    expect(requests.filter((r) => r.url.endsWith('/renew'))).toHaveLength(0)
    await act(() => vi.advanceTimersByTimeAsync(1 * MINUTE))
    await waitFor(() =>
      expect(result.current.state.expiresAt?.getTime()).toBe(Date.parse(issued.Expires!) + DAY),
    )
    expect(requests.filter((r) => r.url.endsWith('/renew'))).toHaveLength(1)
    expect(result.current.state.isAuthenticated).toBe(true)
  })

  it('signs out cleanly as renew-failed when the renewal fails', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { mindbody } = serveMockMindbody({ lifetimeMs: 10 * MINUTE })
    const onSignOut = vi.fn()
    const { result } = await renderSignedIn({ autoRenew: {}, onSignOut, storage: 'local' })
    mindbody.fail('server-error', ['renew'])
    await act(() => vi.advanceTimersByTimeAsync(5 * MINUTE))
    await waitFor(() => expect(result.current.state.signOutReason).toBe('renew-failed'))
    expect(onSignOut.mock.calls).toEqual([['renew-failed']])
    expect(localStorage.getItem('mindbody-user-token:https://api.mindbodyonline.com:-99:6')).toBeNull()
  })
})
