import { act, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useDesk, useIdleTimeout } from '../../src'
import { ADA, serveDesk } from '../deskProxy'
import { createSharedStorage } from '../../src/testing'
import { memorySessionStore } from '../../src/server'
import { proxyInPage } from '../../stories/proxyInPage'
import { renderHookWithProviders, type ProvidersOptions } from '../renderWithProviders'
import { server, STAFF, serveMockMindbody } from '../server'
import { useSession } from '../renderSignedIn'

const MINUTE = 60_000
const idle = { timeoutMs: 5 * MINUTE, warnBeforeMs: MINUTE }
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms))
const press = () => act(() => void window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Shift' })))

/** The session hooks and the idle timeout, counting renders. */
function useFrontDesk(rendered: () => void) {
  rendered()
  return { ...useSession(), idle: useIdleTimeout() }
}

async function signedIn(options: ProvidersOptions = {}) {
  const rendered = vi.fn()
  const renders = {
    get count() {
      return rendered.mock.calls.length
    },
  }
  const onSignOut = vi.fn()
  const view = renderHookWithProviders(() => useFrontDesk(rendered), { idle, onSignOut, ...options })
  await waitFor(() => expect(view.result.current.state.isRestoring).toBe(false))
  await act(() => view.result.current.signIn.mutateAsync(STAFF))
  await waitFor(() => expect(view.result.current.state.isAuthenticated).toBe(true))
  return { ...view, renders, onSignOut }
}

beforeEach(
  () =>
    void vi.useFakeTimers({
      shouldAdvanceTime: true,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    }),
)
afterEach(() => void vi.useRealTimers())

describe('idle sign-out', () => {
  it('warns in the last minute, counting down once a second, then signs out as idle and revokes the token', async () => {
    const { mindbody } = serveMockMindbody()
    const { result, renders, onSignOut } = await signedIn()
    const [token] = mindbody.validTokens()
    await advance(3 * MINUTE)
    const before = renders.count
    await advance(MINUTE - 1000)
    // No activity and no warning: nothing re-renders.
    expect(renders.count).toBe(before)
    expect(result.current.idle).toMatchObject({ isWarning: false, remainingMs: null })

    await advance(1500)
    expect(result.current.idle.isWarning).toBe(true)
    const first = result.current.idle.remainingMs!
    expect(first).toBeLessThanOrEqual(MINUTE)
    expect(first).toBeGreaterThan(MINUTE - 2000)
    await advance(3000)
    expect(first - result.current.idle.remainingMs!).toBeGreaterThanOrEqual(2000)
    expect(first - result.current.idle.remainingMs!).toBeLessThanOrEqual(4000)

    await advance(MINUTE)
    await waitFor(() => expect(result.current.state.signOutReason).toBe('idle'))
    expect(onSignOut.mock.calls).toEqual([['idle']])
    expect(result.current.idle).toMatchObject({ isWarning: false, remainingMs: null })
    await waitFor(() => expect(mindbody.isValid(token!)).toBe(false))

    // Timers stop with the session: an hour later nothing has re-rendered.
    const after = renders.count
    await advance(60 * MINUTE)
    expect(renders.count).toBe(after)
  })

  it('counts keys, pointers, wheels and touches as activity, and stayActive ends the warning', async () => {
    serveMockMindbody()
    const { result } = await signedIn()
    for (let i = 0; i < 3; i++) {
      await advance(4 * MINUTE)
      await press()
    }
    expect(result.current.state.isAuthenticated).toBe(true)
    await advance(4 * MINUTE + 5000)
    expect(result.current.idle.isWarning).toBe(true)
    act(() => result.current.idle.stayActive())
    await waitFor(() => expect(result.current.idle.isWarning).toBe(false))
    await advance(4 * MINUTE)
    expect(result.current.state.isAuthenticated).toBe(true)
  })

  it('signs out when a device wakes from a sleep past the limit, before its waking counts as activity', async () => {
    serveMockMindbody()
    const { result } = await signedIn()
    // Asleep: the wall clock jumps, and no timer ran meanwhile.
    vi.setSystemTime(Date.now() + 10 * MINUTE)
    await act(() => void document.dispatchEvent(new Event('visibilitychange')))
    await waitFor(() => expect(result.current.state.signOutReason).toBe('idle'))
  })

  it('counts activity in another provider of the page', async () => {
    serveMockMindbody()
    const { result } = await signedIn()
    const other = renderHookWithProviders(() => useFrontDesk(() => {}), { idle })
    await waitFor(() => expect(other.result.current.state.isAuthenticated).toBe(true))
    for (let i = 0; i < 3; i++) {
      await advance(4 * MINUTE)
      act(() => other.result.current.idle.stayActive())
    }
    expect(result.current.state.isAuthenticated).toBe(true)
    await advance(6 * MINUTE)
    await waitFor(() => expect(result.current.state.signOutReason).toBe('idle'))
    expect(other.result.current.state.signOutReason).toBe('idle')
  })

  it('counts activity in another tab, and both tabs say idle at the end', async () => {
    serveMockMindbody()
    const shared = createSharedStorage()
    const a = await signedIn({ storage: shared.tab() })
    const b = renderHookWithProviders(() => useFrontDesk(() => {}), { idle, storage: shared.tab() })
    await waitFor(() => expect(b.result.current.state.isAuthenticated).toBe(true))
    await advance(4.5 * MINUTE)
    expect(a.result.current.idle.isWarning).toBe(true)
    act(() => b.result.current.idle.stayActive())
    await advance(2000)
    expect(a.result.current.idle.isWarning).toBe(false)
    await advance(3 * MINUTE)
    expect(a.result.current.state.isAuthenticated).toBe(true)
    await advance(3 * MINUTE)
    await waitFor(() => expect(a.result.current.state.signOutReason).toBe('idle'))
    await waitFor(() => expect(b.result.current.state.signOutReason).toBe('idle'))
  })
})

describe('mode="server": idle, activity and revalidation', () => {
  const serverMode: ProvidersOptions = { baseURL: '/mindbody', mode: 'server' }
  function serve(session?: NonNullable<Parameters<typeof proxyInPage>[0]>['session']) {
    const mock = serveMockMindbody()
    const inPage = proxyInPage({ session })
    server.use(inPage.handler)
    const calls = (path: string) => mock.requests.filter((r) => new URL(r.url).pathname === path).length
    return { ...mock, ...inPage, calls }
  }

  it('reports activity to the proxy at most once a minute, and the idle sign-out revokes on the server', async () => {
    const { calls, mindbody } = serve({ idleTimeoutMs: 10 * MINUTE })
    const { result } = await signedIn(serverMode)
    const [token] = mindbody.validTokens()
    for (let i = 0; i < 6; i++) {
      await advance(20_000)
      await press()
    }
    // Two minutes of activity: the first press a minute after sign-in, then one a minute on.
    await waitFor(() => expect(calls('/mindbody/session/activity')).toBe(2))
    await advance(5 * MINUTE)
    await waitFor(() => expect(result.current.state.signOutReason).toBe('idle'))
    await waitFor(() => expect(mindbody.isValid(token!)).toBe(false))
  })

  it('signs out, for the reason the proxy gives, on focus and at a revalidation', async () => {
    const store = memorySessionStore()
    const { proxy } = serve({ store, absoluteTimeoutMs: 30 * MINUTE })
    const { result, onSignOut } = await signedIn({ ...serverMode, idle: undefined, revalidateMs: 2 * MINUTE })
    await proxy.sessions.revoke({ siteId: -99 })
    await act(() => void window.dispatchEvent(new Event('focus')))
    await waitFor(() => expect(result.current.state.signOutReason).toBe('revoked'))

    await act(() => result.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(result.current.state.isAuthenticated).toBe(true))
    await advance(31 * MINUTE)
    // Past the limit, the next revalidation ends the session. Under fake timers a check can still be in
    // flight from before the limit (answering for a session not yet ended) while the clock jumps past
    // later ticks, which it then stands in for: so move on one interval at a time, with real time
    // between them for the answers (vi.waitFor waits on real timers), until one asks anew.
    await vi.waitFor(
      async () => {
        await advance(2 * MINUTE)
        expect(result.current.state.signOutReason).toBe('absolute')
      },
      { timeout: 10_000 },
    )
    expect(onSignOut.mock.calls).toEqual([['revoked'], ['absolute']])
  })
})

describe("idle: { action: 'lock' }", () => {
  const serverMode: ProvidersOptions = { baseURL: '/mindbody', mode: 'server' }
  const locking = { ...idle, action: 'lock' as const }

  it('locks the front desk instead of signing out: the sign-in stays parked, and the PIN unlocks it', async () => {
    const desk = serveDesk()
    const onSignOut = vi.fn()
    const { result } = renderHookWithProviders(() => ({ ...useFrontDesk(() => {}), desk: useDesk() }), {
      ...serverMode,
      idle: locking,
      onSignOut,
    })
    await waitFor(() => expect(result.current.state.isRestoring).toBe(false))
    await act(() => result.current.signIn.mutateAsync(ADA))
    await act(() => result.current.desk.setPin('4711'))
    await advance(4.5 * MINUTE)
    expect(result.current.idle.isWarning).toBe(true)
    await advance(MINUTE)
    await waitFor(() => expect(result.current.state.signOutReason).toBe('locked'))
    expect(onSignOut.mock.calls).toEqual([['locked']])
    await waitFor(() => expect(result.current.desk.isLocked).toBe(true))
    expect(result.current.idle).toMatchObject({ isWarning: false, remainingMs: null })
    expect(desk.sent('POST', '/desk/lock')).toHaveLength(1)
    expect(desk.sent('DELETE', '/public/v6/usertoken/revoke')).toEqual([])

    await act(() => result.current.desk.unlock({ userId: result.current.desk.staff[0]!.userId, pin: '4711' }))
    await waitFor(() => expect(result.current.state.user?.FirstName).toBe('Ada'))
  })

  it('signs out as idle, revoking the token, when the proxy keeps no desk to lock', async () => {
    const { mindbody } = serveMockMindbody()
    server.use(proxyInPage().handler)
    const { result, onSignOut } = await signedIn({ ...serverMode, idle: locking })
    const [token] = mindbody.validTokens()
    await advance(6 * MINUTE)
    await waitFor(() => expect(result.current.state.signOutReason).toBe('idle'))
    expect(onSignOut.mock.calls).toEqual([['idle']])
    await waitFor(() => expect(mindbody.isValid(token!)).toBe(false))
  })

  it('is refused in token mode, as the other server-only options are', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => renderHookWithProviders(() => useIdleTimeout(), { idle: locking })).toThrow(
      expect.objectContaining({
        kind: 'invalid-input',
        message: 'Invalid idle.action: only with mode="server"',
      }),
    )
    vi.restoreAllMocks()
  })
})
