import { act, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MindbodyProvider, UserTokenGate, useUserToken } from '../../src'
import { proxyInPage } from '../../stories/proxyInPage'
import { renderHookWithProviders, type ProvidersOptions } from '../renderWithProviders'
import { server, STAFF, serveMockMindbody } from '../server'
import { useSession } from '../renderSignedIn'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** The ways a page keeps its session: each storage mode, and the `/server` proxy's cookie. */
const modes: Array<[string, ProvidersOptions]> = [
  ['memory', {}],
  ['session storage', { storage: 'session' }],
  ['local storage', { storage: 'local' }],
  ['server mode', { baseURL: '/mindbody', mode: 'server' }],
]

/** Mock Mindbody, and for server mode the real proxy in front of it; counts the calls that reach Mindbody. */
function serve(options: ProvidersOptions, mockOptions?: Parameters<typeof serveMockMindbody>[0]) {
  const mock = serveMockMindbody(mockOptions)
  if (options.mode === 'server') server.use(proxyInPage().handler)
  const calls = (endpoint: string) =>
    mock.requests.filter((r) => r.url.startsWith('https://') && r.url.endsWith(`/usertoken/${endpoint}`))
      .length
  return { ...mock, calls }
}

/**
 * `count` widgets on one page, as embedded widgets are: each its own React root with its own
 * QueryClient and provider, and its own `onSignOut`.
 */
async function onePage(count: number, options: ProvidersOptions) {
  const signOuts = Array.from({ length: count }, () => vi.fn())
  const widgets = signOuts.map((onSignOut) => renderHookWithProviders(useSession, { ...options, onSignOut }))
  for (const widget of widgets)
    await waitFor(() => expect(widget.result.current.state.isRestoring).toBe(false))
  const states = () => widgets.map((w) => w.result.current.state)
  return { widgets: widgets.map((w) => w.result), unmount: widgets.map((w) => w.unmount), signOuts, states }
}

afterEach(() => void vi.useRealTimers())

describe.each(modes)('one session per page: %s', (_mode, options) => {
  it('signs every widget in with one sign-in, renews them all with one renew, signs them all out as revoked', async () => {
    const { calls } = serve(options)
    const { widgets, signOuts, states } = await onePage(3, options)
    const [a, b, c] = widgets as [(typeof widgets)[0], (typeof widgets)[0], (typeof widgets)[0]]

    await act(() => a.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(states().map((s) => s.user?.FirstName)).toEqual(['Ada', 'Ada', 'Ada']))
    expect(new Set(states().map((s) => s.token)).size).toBe(3) // each root its own copy of one token
    expect(new Set(states().map((s) => JSON.stringify(s.token))).size).toBe(1)
    expect(calls('issue')).toBe(1)

    const issued = a.current.state.expiresAt!.getTime()
    await act(() => b.current.renew.mutateAsync())
    await waitFor(() =>
      expect(states().map((s) => s.expiresAt?.getTime())).toEqual(Array(3).fill(issued + DAY)),
    )
    expect(calls('renew')).toBe(1)

    await act(() => c.current.signOut.mutateAsync())
    await waitFor(() =>
      expect(states().map((s) => s.signOutReason)).toEqual(['revoked', 'revoked', 'revoked']),
    )
    expect(states().every((s) => !s.isAuthenticated)).toBe(true)
    expect(signOuts.map((s) => s.mock.calls)).toEqual([[['revoked']], [['revoked']], [['revoked']]])
    expect(calls('revoke')).toBe(1)
  })

  it('auto-renews once per page, and every widget follows', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { calls } = serve(options, { lifetimeMs: 10 * MINUTE })
    const { widgets, states } = await onePage(3, { ...options, autoRenew: { beforeExpiryMs: 2 * MINUTE } })
    await act(() => widgets[1]!.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(states().every((s) => s.isAuthenticated)).toBe(true))
    const issued = widgets[0]!.current.state.expiresAt!.getTime()

    // To the first try (at 7.5 minutes), then let the renewal's requests finish before time moves on.
    await act(() => vi.advanceTimersByTimeAsync(7.5 * MINUTE + 100))
    await waitFor(() =>
      expect(states().map((s) => s.expiresAt?.getTime())).toEqual(Array(3).fill(issued + DAY)),
    )
    await act(() => vi.advanceTimersByTimeAsync(2 * MINUTE))
    expect(calls('renew')).toBe(1)
    expect(states().every((s) => s.isAuthenticated)).toBe(true)
  })

  it('signs every widget out at its expiry, as expired', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    serve(options, { lifetimeMs: 10 * MINUTE })
    const { widgets, signOuts, states } = await onePage(3, options)
    await act(() => widgets[2]!.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(states().every((s) => s.isAuthenticated)).toBe(true))
    await act(() => vi.advanceTimersByTimeAsync(10 * MINUTE))
    await waitFor(() =>
      expect(states().map((s) => s.signOutReason)).toEqual(['expired', 'expired', 'expired']),
    )
    expect(signOuts.map((s) => s.mock.calls)).toEqual([[['expired']], [['expired']], [['expired']]])
  })

  it('lets the last sign-in of any widget win, revoking the one it overtook', async () => {
    const { mindbody } = serve(options, { slowMs: 300, failure: 'slow' })
    const { widgets, states } = await onePage(2, options)
    const first = widgets[0]!.current.signIn
      .mutateAsync({ Username: 'demo.owner', Password: 'demo-password' })
      .catch((error: unknown) => error)
    await act(() => widgets[1]!.current.signIn.mutateAsync(STAFF))
    expect(await first).toMatchObject({ kind: 'aborted' })
    await waitFor(() => expect(states().map((s) => s.user?.FirstName)).toEqual(['Ada', 'Ada']))
    await waitFor(() => expect(mindbody.validTokens()).toHaveLength(1))
  })
})

describe('one session per page', () => {
  it('keeps the others signed in when one widget unmounts, and signs in a widget mounted later', async () => {
    serve({})
    const { widgets, unmount, states } = await onePage(2, {})
    await act(() => widgets[0]!.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(states().every((s) => s.isAuthenticated)).toBe(true))
    unmount[0]!()
    expect(widgets[1]!.current.state.isAuthenticated).toBe(true)

    // A widget added later never shows the sign-in form: it starts signed in, or restoring.
    const seen: boolean[] = []
    const Probe = () => {
      const { isAuthenticated, isRestoring } = useUserToken()
      seen.push(isAuthenticated || isRestoring)
      return <p>{isAuthenticated ? 'signed in' : 'signed out'}</p>
    }
    render(
      <MindbodyProvider siteId={-99}>
        <UserTokenGate fallback={<p>sign-in form</p>}>
          <Probe />
        </UserTokenGate>
      </MindbodyProvider>,
    )
    expect(await screen.findByText('signed in')).toBeTruthy()
    expect(screen.queryByText('sign-in form')).toBeNull()
    expect(seen.every(Boolean)).toBe(true)
  })

  it('lets a memory token go when the last widget of the page unmounts', async () => {
    serve({})
    const first = await onePage(1, {})
    await act(() => first.widgets[0]!.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(first.states()[0]!.isAuthenticated).toBe(true))
    first.unmount[0]!()
    const next = await onePage(1, {})
    expect(next.states()[0]).toMatchObject({ isAuthenticated: false, isRestoring: false })
  })

  it('shares nothing with another site, version or base URL', async () => {
    serve({})
    const [mine] = (await onePage(1, {})).widgets
    const others = [{ siteId: -98 }, { version: '5' }, { baseURL: 'https://api.example' }].map(
      (o) => renderHookWithProviders(useSession, o).result,
    )
    await act(() => mine!.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(mine!.current.state.isAuthenticated).toBe(true))
    for (const other of others) expect(other.current.state.isAuthenticated).toBe(false)
  })

  it('renews once per page even when the renewal outlasts the claim', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const mock = serveMockMindbody({ lifetimeMs: 10 * MINUTE, slowMs: 45_000 })
    const renews = () => mock.requests.filter((r) => r.url.endsWith('/usertoken/renew')).length
    const { widgets, states } = await onePage(3, { autoRenew: { beforeExpiryMs: 2 * MINUTE } })
    await act(() => widgets[0]!.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(states().every((s) => s.isAuthenticated)).toBe(true))
    const issued = widgets[0]!.current.state.expiresAt!.getTime()
    // Mindbody takes 45 s to renew, longer than the 30 s a claim lasts.
    mock.mindbody.fail('slow', ['renew'])
    await act(() => vi.advanceTimersByTimeAsync(7.5 * MINUTE + 100))
    await act(() => vi.advanceTimersByTimeAsync(60_000))
    await waitFor(() =>
      expect(states().map((s) => s.expiresAt?.getTime())).toEqual(Array(3).fill(issued + DAY)),
    )
    expect(renews()).toBe(1)
  })

  it('says renew-failed in every widget when the one that renews gave up', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { mindbody } = serve({}, { lifetimeMs: 10 * MINUTE })
    const { widgets, signOuts } = await onePage(3, { autoRenew: { beforeExpiryMs: 2 * MINUTE } })
    await act(() => widgets[2]!.current.signIn.mutateAsync(STAFF))
    mindbody.fail('server-error', ['renew'])
    await act(() => vi.advanceTimersByTimeAsync(11 * MINUTE))
    await waitFor(() =>
      expect(signOuts.map((s) => s.mock.calls)).toEqual([
        [['renew-failed']],
        [['renew-failed']],
        [['renew-failed']],
      ]),
    )
  })
})
