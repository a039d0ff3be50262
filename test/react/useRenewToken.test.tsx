import { QueryClient } from '@tanstack/react-query'
import { act, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderHookWithProviders } from '../renderWithProviders'
import { API, server, serveMockMindbody } from '../server'
import { renderSignedIn, useSession } from '../renderSignedIn'

const DAY = 24 * 3600_000
const STORAGE_KEY = 'mindbody-user-token:https://api.mindbodyonline.com:-99:6'
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
    expect(requests[1]!.headers.get('Authorization')).toBe(issued.AccessToken)
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

  it('signs out as unauthorized on a 401: the token is dead', async () => {
    serveMockMindbody()
    const onSignOut = vi.fn()
    const { result } = await renderSignedIn({ onSignOut })
    server.use(
      http.post(`${API}/renew`, () =>
        HttpResponse.json({ Error: { Message: 'No.', Code: 'DeniedAccess' } }, { status: 401 }),
      ),
    )
    await act(() => result.current.renew.mutateAsync().catch(() => {}))
    await waitFor(() => expect(result.current.state.signOutReason).toBe('unauthorized'))
    expect(result.current.renew.error?.status).toBe(401)
    expect(onSignOut.mock.calls).toEqual([['unauthorized']])
  })

  it.each([400, 403, 429, 500])('keeps the token on a %i: it may still be valid', async (status) => {
    const { mindbody } = serveMockMindbody()
    const onSignOut = vi.fn()
    const { result, token } = await renderSignedIn({ onSignOut })
    server.use(
      http.post(`${API}/renew`, () =>
        HttpResponse.json({ Error: { Message: 'Renewal limit reached.', Code: 'Denied' } }, { status }),
      ),
    )
    await act(() => result.current.renew.mutateAsync().catch(() => {}))
    await waitFor(() => expect(result.current.renew.error?.status).toBe(status))
    expect(result.current.state).toMatchObject({ accessToken: token.AccessToken, signOutReason: null })
    expect(mindbody.isValid(token.AccessToken)).toBe(true)
    expect(onSignOut).not.toHaveBeenCalled()
  })

  it.each(['empty-object', 'empty-body', 'no-content', 'expires'] as const)(
    'takes a renew that answers %s as a renewal of 24 hours, in the state and in storage',
    async (answer) => {
      serveMockMindbody({ renewAnswer: answer })
      const { result, token } = await renderSignedIn({ storage: 'local' })
      await act(() => result.current.renew.mutateAsync())
      const renewed = new Date(Date.parse(token.Expires!) + DAY).toISOString()
      await waitFor(() => expect(result.current.state.token).toEqual({ ...token, Expires: renewed }))
      await waitFor(() => expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!).token.Expires).toBe(renewed))
    },
  )

  it("retries a 429 when the QueryClient's defaults ask, waiting at least its Retry-After", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { mindbody, requests } = serveMockMindbody({ retryAfterSeconds: 20 })
    const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: 1 } } })
    const { result, token } = await renderSignedIn({ queryClient })
    mindbody.fail('rate-limited', ['renew'])
    const renews = () => requests.filter((r) => r.url.endsWith('/renew')).length
    const renewing = result.current.renew.mutateAsync()
    await act(() => vi.advanceTimersByTimeAsync(19_000))
    expect(renews()).toBe(1)
    mindbody.fail(null)
    await act(() => vi.advanceTimersByTimeAsync(2_000))
    await act(() => renewing)
    expect(renews()).toBe(2)
    expect(result.current.state.expiresAt?.getTime()).toBe(Date.parse(token.Expires!) + DAY)
  })

  it('refuses to renew when nobody is signed in, sending nothing', async () => {
    const { requests } = serveMockMindbody()
    const { result } = renderHookWithProviders(useSession)
    await act(() => result.current.renew.mutateAsync().catch(() => {}))
    await waitFor(() => expect(result.current.renew.error?.kind).toBe('invalid-input'))
    expect(requests).toHaveLength(0)
  })
})
