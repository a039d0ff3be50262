import { QueryClient } from '@tanstack/react-query'
import { act, screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { UserTokenGate, type IssueResponse, type UserTokenStorage } from '../../src'
import { renderHookWithProviders, renderWithProviders } from '../renderWithProviders'
import { STAFF, serveMockMindbody } from '../server'
import { renderSignedIn, useSession } from '../renderSignedIn'

const KEY = 'mindbody-user-token:https://api.mindbodyonline.com:-99:6'
const SITE = 'mindbody-user-token https://api.mindbodyonline.com -99 6'
const future = () => new Date(Date.now() + 3600_000).toISOString()
const stored = (token: Partial<IssueResponse>, site = SITE) => JSON.stringify({ site, token })

describe('storage', () => {
  it.each(['local', 'session'] as const)(
    'keeps the token in %sStorage and restores it on the next load',
    async (storage) => {
      serveMockMindbody()
      const area = storage === 'local' ? localStorage : sessionStorage
      const { token, ...first } = await renderSignedIn({ storage })
      await waitFor(() => expect(JSON.parse(area.getItem(KEY)!).token).toEqual(token))
      first.unmount()

      const second = renderHookWithProviders(useSession, { storage, queryClient: new QueryClient() })
      await waitFor(() => expect(second.result.current.state.token).toEqual(token))
      expect(second.result.current.state.isRestoring).toBe(false)

      await act(() => second.result.current.signOut.mutateAsync())
      await waitFor(() => expect(area.getItem(KEY)).toBeNull())
    },
  )

  it("removes its 'storage' listener on unmount", async () => {
    const add = vi.spyOn(window, 'addEventListener')
    const remove = vi.spyOn(window, 'removeEventListener')
    const { unmount } = renderHookWithProviders(useSession, { storage: 'local' })
    await waitFor(() =>
      expect(add.mock.calls.filter(([type]) => type === 'storage').length).toBeGreaterThan(0),
    )
    unmount()
    const listeners = (spy: typeof add) =>
      spy.mock.calls.filter(([type]) => type === 'storage').map(([, fn]) => fn)
    expect(listeners(remove).sort()).toEqual(listeners(add).sort())
  })

  it('never stores the password', async () => {
    serveMockMindbody()
    await renderSignedIn({ storage: 'local' })
    await waitFor(() => expect(localStorage.getItem(KEY)).not.toBeNull())
    expect(JSON.stringify({ ...localStorage })).not.toContain(STAFF.Password)
  })

  it('uses the storageKey it is given', async () => {
    serveMockMindbody()
    await renderSignedIn({ storage: 'local', storageKey: 'my-portal' })
    await waitFor(() => expect(localStorage.getItem('my-portal')).not.toBeNull())
    expect(localStorage.getItem(KEY)).toBeNull()
  })

  it('shows the restoring state, not the signed-out one, until an async storage answers', async () => {
    let answer!: (value: string | null) => void
    const storage: UserTokenStorage = {
      getItem: () => new Promise((resolve) => (answer = resolve)),
      setItem: async () => {},
      removeItem: async () => {},
    }
    renderWithProviders(
      <UserTokenGate fallback={<p>Please sign in</p>} restoring={<p>Restoring…</p>}>
        <p>Welcome back</p>
      </UserTokenGate>,
      { storage },
    )
    expect(screen.getByText('Restoring…')).toBeTruthy()
    expect(screen.queryByText('Please sign in')).toBeNull()
    await act(async () => answer(stored({ AccessToken: 'abc', Expires: future() })))
    expect(await screen.findByText('Welcome back')).toBeTruthy()
  })

  it.each([
    ['corrupt JSON', '{"site":'],
    ['the wrong shape', JSON.stringify({ site: SITE, token: { AccessToken: 42 } })],
    ['a bare token', JSON.stringify({ AccessToken: 'abc' })],
    ['an expired token', stored({ AccessToken: 'abc', Expires: '2001-01-01T00:00:00Z' })],
    [
      "another site's token",
      stored(
        { AccessToken: 'abc', Expires: future() },
        'mindbody-user-token https://api.mindbodyonline.com 1234 6',
      ),
    ],
  ])('discards %s and starts signed out', async (_name, raw) => {
    localStorage.setItem(KEY, raw)
    const { result } = renderHookWithProviders(useSession, { storage: 'local' })
    await waitFor(() => expect(result.current.state.isRestoring).toBe(false))
    expect(result.current.state).toMatchObject({ isAuthenticated: false, signOutReason: null })
    expect(localStorage.getItem(KEY)).toBeNull()
  })

  it('keeps the token in memory when the storage refuses it, and warns once', async () => {
    serveMockMindbody()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const storage: UserTokenStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('Quota exceeded', 'QuotaExceededError')
      },
      removeItem: () => {},
    }
    const { result } = await renderSignedIn({ storage })
    await act(() => result.current.renew.mutateAsync())
    await waitFor(() => expect(result.current.state.isAuthenticated).toBe(true))
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0])).not.toContain(result.current.state.accessToken!)
  })
})
