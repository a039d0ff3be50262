import { act, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderHookWithProviders } from '../renderWithProviders'
import { http, HttpResponse } from 'msw'
import { API, server, STAFF, serveMockMindbody } from '../server'
import { createSharedStorage } from '../../src/testing'
import { renderSignedIn, useSession } from '../renderSignedIn'

const KEY = 'mindbody-user-token:https://api.mindbodyonline.com:-99:6'
const DAY = 24 * 3600_000
afterEach(() => void vi.useRealTimers())

/** Two tabs: two providers with their own QueryClients on one shared storage. */
function twoTabs(options: Parameters<typeof renderHookWithProviders>[1] = {}) {
  const shared = createSharedStorage()
  const signOuts = { a: vi.fn(), b: vi.fn() }
  const a = renderHookWithProviders(useSession, { storage: shared.tab(), onSignOut: signOuts.a, ...options })
  const b = renderHookWithProviders(useSession, { storage: shared.tab(), onSignOut: signOuts.b, ...options })
  return { a: a.result, b: b.result, shared, signOuts }
}

describe('cross-tab sync', () => {
  it('signs the other tab in, renews it, and signs it out with reason other-tab', async () => {
    serveMockMindbody()
    const { a, b, signOuts } = twoTabs()
    const token = await act(() => a.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(b.current.state.accessToken).toBe(token.AccessToken))

    await act(() => a.current.renew.mutateAsync())
    await waitFor(() => expect(b.current.state.expiresAt?.getTime()).toBe(Date.parse(token.Expires!) + DAY))

    await act(() => a.current.signOut.mutateAsync())
    await waitFor(() =>
      expect(b.current.state).toMatchObject({ isAuthenticated: false, signOutReason: 'other-tab' }),
    )
    expect(a.current.state.signOutReason).toBe('revoked')
    expect(signOuts.a.mock.calls).toEqual([['revoked']])
    expect(signOuts.b.mock.calls).toEqual([['other-tab']])
  })

  it('spreads a new AccessToken from a renew everywhere: state, storage, the other tab and the client', async () => {
    serveMockMindbody()
    server.use(
      http.post(`${API}/renew`, () => HttpResponse.json({ AccessToken: 'renewed-token' })),
      http.get('*/public/v6/staff/staff', ({ request }) =>
        HttpResponse.json({ sent: request.headers.get('Authorization') }),
      ),
    )
    const { a, b, shared } = twoTabs()
    const token = await act(() => a.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(b.current.state.accessToken).toBe(token.AccessToken))
    await act(() => a.current.renew.mutateAsync())

    const renewed = {
      ...token,
      AccessToken: 'renewed-token',
      Expires: new Date(Date.parse(token.Expires!) + DAY).toISOString(),
    }
    await waitFor(() => expect(b.current.state.token).toEqual(renewed))
    expect(a.current.state.token).toEqual(renewed)
    expect(JSON.parse(shared.data.get(KEY)!).token).toEqual(renewed)
    for (const tab of [a, b])
      expect((await tab.current.client.get('/staff/staff')).data).toEqual({ sent: 'renewed-token' })
  })

  it.each([
    ['localStorage events from real other tabs', 'local'],
    ['sessionStorage events, which same-origin frames of the tab share', 'session'],
  ] as const)('follows %s', async (_events, storage) => {
    serveMockMindbody()
    const area = storage === 'local' ? localStorage : sessionStorage
    const { result } = await renderSignedIn({ storage })
    await waitFor(() => expect(area.getItem(KEY)).not.toBeNull())
    const oldValue = area.getItem(KEY)
    area.removeItem(KEY)
    act(
      () =>
        void window.dispatchEvent(
          new StorageEvent('storage', { key: KEY, oldValue, newValue: null, storageArea: area }),
        ),
    )
    await waitFor(() => expect(result.current.state.signOutReason).toBe('other-tab'))
  })

  it('lets only one tab auto-renew; the other picks the result up', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { requests, mindbody } = serveMockMindbody({ lifetimeMs: 10 * 60_000, slowMs: 5_000 })
    mindbody.fail('slow', ['renew'])
    const { a, b } = twoTabs({ autoRenew: { beforeExpiryMs: 60_000 } })
    const token = await act(() => a.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(b.current.state.isAuthenticated).toBe(true))
    await act(() => vi.advanceTimersByTimeAsync(9 * 60_000))
    await act(() => vi.advanceTimersByTimeAsync(10_000))
    const renewed = Date.parse(token.Expires!) + DAY
    await waitFor(() => expect(a.current.state.expiresAt?.getTime()).toBe(renewed))
    await waitFor(() => expect(b.current.state.expiresAt?.getTime()).toBe(renewed))
    expect(requests.filter((r) => r.url.endsWith('/renew'))).toHaveLength(1)
  })
})
