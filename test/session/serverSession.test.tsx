import { QueryClient } from '@tanstack/react-query'
import { act, render, screen, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MindbodyProvider, UserTokenGate, useStaffSessions } from '../../src'
import { memorySessionStore } from '../../src/server/stores/memorySessionStore'
import { proxyInPage } from '../../stories/proxyInPage'
import { renderHookWithProviders, type ProvidersOptions } from '../renderWithProviders'
import { server, STAFF, serveMockMindbody } from '../server'
import { useSession } from '../renderSignedIn'

const DAY = 24 * 3600_000
const MINUTE = 60_000
const serverMode: ProvidersOptions = { baseURL: '/mindbody', mode: 'server' }
afterEach(() => void vi.useRealTimers())

/** Mindbody behind MSW, and the real proxy in front of it at /mindbody, with a cookie jar. */
function serve(options?: Parameters<typeof serveMockMindbody>[0]) {
  const mock = serveMockMindbody(options)
  const inPage = proxyInPage()
  server.use(inPage.handler)
  const browserRequests = () => mock.requests.filter((r) => new URL(r.url).pathname.startsWith('/mindbody/'))
  return { ...mock, ...inPage, browserRequests }
}

/** Everything a script on the page could read, as one string. */
const readableByScripts = (queryClient: QueryClient) =>
  JSON.stringify([
    document.cookie,
    { ...localStorage },
    { ...sessionStorage },
    queryClient
      .getQueryCache()
      .getAll()
      .map((q) => q.state),
    queryClient
      .getMutationCache()
      .getAll()
      .map((m) => m.state),
  ])

async function signedIn(options: ProvidersOptions = {}) {
  const view = renderHookWithProviders(useSession, { ...serverMode, ...options })
  await waitFor(() => expect(view.result.current.state.isRestoring).toBe(false))
  await act(() => view.result.current.signIn.mutateAsync(STAFF))
  await waitFor(() => expect(view.result.current.state.isAuthenticated).toBe(true))
  return view
}

describe('mode="server"', () => {
  it('signs in through the proxy: the user shows, the token stays on the server', async () => {
    const { mindbody, browserRequests, jar } = serve()
    const { result, queryClient } = await signedIn()
    const [token] = mindbody.validTokens()

    expect(result.current.state).toMatchObject({
      isAuthenticated: true,
      accessToken: null,
      user: { FirstName: 'Ada', Type: 'Staff' },
    })
    expect(result.current.state.token?.AccessToken).toBe('')
    expect(result.current.state.expiresAt?.getTime()).toBe(mindbody.expiresAt(token!)!.getTime())
    expect(readableByScripts(queryClient)).not.toContain(token)
    expect(jar.size).toBe(1)
    const sent = browserRequests()
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual([
      '/mindbody/session',
      '/mindbody/public/v6/usertoken/issue',
    ])
    expect(sent.every((r) => !r.headers.has('Api-Key') && r.headers.get('X-Mindbody-Proxy') === '1')).toBe(
      true,
    )
  })

  it('restores on mount with GET /session, restoring until it answers', async () => {
    const { jar } = serve()
    const first = await signedIn()
    first.unmount()
    expect(jar.size).toBe(1)

    const second = renderHookWithProviders(useSession, { ...serverMode, queryClient: new QueryClient() })
    expect(second.result.current.state).toMatchObject({ isRestoring: true, isAuthenticated: false })
    await waitFor(() => expect(second.result.current.state.isAuthenticated).toBe(true))
    expect(second.result.current.state.user?.FirstName).toBe('Ada')
  })

  it('starts signed out when the proxy has no session', async () => {
    serve()
    const { result } = renderHookWithProviders(useSession, serverMode)
    await waitFor(() => expect(result.current.state.isRestoring).toBe(false))
    expect(result.current.state.isAuthenticated).toBe(false)
  })

  it('signs out: the cookie is cleared and the token revoked upstream', async () => {
    const { mindbody, jar } = serve()
    const { result } = await signedIn()
    const [token] = mindbody.validTokens()
    await act(() => result.current.signOut.mutateAsync())
    expect(result.current.state).toMatchObject({ isAuthenticated: false, signOutReason: 'revoked' })
    expect(jar.size).toBe(0)
    expect(mindbody.isValid(token!)).toBe(false)
  })

  it('renews through the proxy, by the same rules', async () => {
    const { mindbody } = serve({ renewAnswer: 'empty-object' })
    const { result } = await signedIn()
    const before = result.current.state.expiresAt!.getTime()
    await act(() => result.current.renew.mutateAsync())
    await waitFor(() => expect(result.current.state.expiresAt?.getTime()).toBe(before + DAY))
    expect(mindbody.expiresAt(mindbody.validTokens()[0]!)!.getTime()).toBe(before + DAY)
  })

  it('calls other endpoints through the proxy with useMindbodyClient; a 401 signs out', async () => {
    const { mindbody } = serve()
    server.use(
      http.get('https://api.mindbodyonline.com/public/v6/staff/staff', ({ request }) =>
        mindbody.isValid(request.headers.get('Authorization') ?? '')
          ? HttpResponse.json({ StaffMembers: [{ Id: 1 }] })
          : new HttpResponse(null, { status: 401 }),
      ),
    )
    const { result } = await signedIn()
    expect((await result.current.client.get('/staff/staff')).data).toEqual({ StaffMembers: [{ Id: 1 }] })
    mindbody.reset()
    await expect(result.current.client.get('/staff/staff')).rejects.toMatchObject({ status: 401 })
    await waitFor(() => expect(result.current.state.signOutReason).toBe('unauthorized'))
  })

  it("keeps Mindbody's words in useMindbodyClient errors, and signs out for the proxy's reason", async () => {
    const { mindbody } = serveMockMindbody()
    const inPage = proxyInPage({ session: { store: memorySessionStore() } })
    server.use(inPage.handler)
    const refusal = { Error: { Message: 'ClassIds must be numbers.', Code: 'InvalidParameter' } }
    server.use(
      http.get('https://api.mindbodyonline.com/public/v6/class/classes', () =>
        HttpResponse.json(refusal, { status: 400 }),
      ),
    )
    const { result } = await signedIn()
    await expect(result.current.client.get('/class/classes')).rejects.toMatchObject({
      message: 'ClassIds must be numbers.',
      status: 400,
      code: 'InvalidParameter',
      details: refusal,
    })
    expect(result.current.state.isAuthenticated).toBe(true)

    // A manager ends the session on the server: the next forwarded call is refused with the proxy's reason.
    await inPage.proxy.sessions.revoke({ siteId: -99 })
    await expect(result.current.client.get('/class/classes')).rejects.toMatchObject({
      status: 401,
      code: 'SessionExpired',
      message: 'This session has ended. Sign in again.',
    })
    await waitFor(() => expect(result.current.state.signOutReason).toBe('revoked'))
    expect(mindbody.validTokens()).toEqual([])
  })

  it('lists the staff member’s sessions and signs out another device, then this one, with useStaffSessions', async () => {
    const { mindbody } = serveMockMindbody()
    const inPage = proxyInPage({ session: { store: memorySessionStore() } })
    server.use(inPage.handler)
    const view = renderHookWithProviders(() => ({ ...useSession(), devices: useStaffSessions() }), serverMode)
    await waitFor(() => expect(view.result.current.state.isRestoring).toBe(false))
    expect(view.result.current.devices.sessions).toBeUndefined()
    await act(() => view.result.current.signIn.mutateAsync(STAFF))
    // A second device signs in as the same staff member, with its own cookie.
    const tablet = await inPage.proxy(
      new Request('http://localhost/mindbody/public/v6/usertoken/issue', {
        method: 'POST',
        headers: { 'X-Mindbody-Proxy': '1', 'Sec-Fetch-Site': 'same-origin', SiteId: '-99' },
        body: JSON.stringify(STAFF),
      }),
    )
    expect(tablet.status).toBe(200)
    await act(() => view.result.current.devices.refetch())
    await waitFor(() => expect(view.result.current.devices.sessions).toHaveLength(2))
    const other = view.result.current.devices.sessions!.find((s) => !s.current)!
    expect(other.signedInAt).toBeInstanceOf(Date)

    await act(() => view.result.current.devices.end(other.id))
    await waitFor(() => expect(view.result.current.devices.sessions).toHaveLength(1))
    expect(view.result.current.state.isAuthenticated).toBe(true)
    // The tablet's next call is refused, and its token revoked then.
    const cookie = tablet.headers.get('Set-Cookie')!.split(';')[0]!
    const refused = await inPage.proxy(
      new Request('http://localhost/mindbody/session', { headers: { SiteId: '-99', Cookie: cookie } }),
    )
    expect(refused.status).toBe(401)
    expect(mindbody.validTokens()).toHaveLength(1)

    const mine = view.result.current.devices.sessions![0]!
    expect(mine.current).toBe(true)
    await act(() => view.result.current.devices.end(mine.id))
    await waitFor(() => expect(view.result.current.state.signOutReason).toBe('revoked'))
    expect(view.result.current.devices.sessions).toBeUndefined()
    expect(mindbody.validTokens()).toEqual([])
  })

  it('refuses useStaffSessions in token mode with a clear MindbodyError', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => renderHookWithProviders(() => useStaffSessions())).toThrow(/mode="server"/)
    quiet.mockRestore()
  })

  it('keeps other tabs in step over BroadcastChannel, with no AccessToken: sign-in, renew, sign-out', async () => {
    serve()
    // The test is the other tab: it hears this tab on the channel and speaks on it.
    const otherTab = new BroadcastChannel('mindbody-user-token:/mindbody:-99:6')
    const heard: Array<string | null> = []
    otherTab.onmessage = (event: MessageEvent) => heard.push(event.data as string | null)
    const onSignOut = vi.fn()
    const { result } = await signedIn({ onSignOut })
    await waitFor(() => expect(heard).toHaveLength(1))
    const told = JSON.parse(heard[0]!) as { token: { AccessToken: string; User: { FirstName: string } } }
    expect(told.token).toMatchObject({ AccessToken: '', User: { FirstName: 'Ada' } })

    const before = result.current.state.expiresAt!.getTime()
    await act(() => result.current.renew.mutateAsync())
    await waitFor(() => expect(heard).toHaveLength(2))
    expect(Date.parse(JSON.parse(heard[1]!).token.Expires)).toBe(before + DAY)

    act(() => otherTab.postMessage(null))
    await waitFor(() => expect(result.current.state.signOutReason).toBe('other-tab'))
    expect(onSignOut.mock.calls).toEqual([['other-tab']])
    act(() => otherTab.postMessage(heard[1]))
    await waitFor(() => expect(result.current.state.user?.FirstName).toBe('Ada'))
    otherTab.close()
  })

  it('expires and auto-renews as in token mode', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    serve({ lifetimeMs: 10 * MINUTE })
    const renewing = await signedIn({ autoRenew: { beforeExpiryMs: 2 * MINUTE } })
    const issued = renewing.result.current.state.expiresAt!.getTime()
    await act(() => vi.advanceTimersByTimeAsync(8 * MINUTE))
    await waitFor(() => expect(renewing.result.current.state.expiresAt?.getTime()).toBe(issued + DAY))
    renewing.unmount()

    const expiring = await signedIn({ queryClient: new QueryClient() })
    await act(() => vi.advanceTimersByTimeAsync(10 * MINUTE))
    expect(expiring.result.current.state.signOutReason).toBe('expired')
  })

  it('sends one call at a time, so the last sign-in wins in the page and in the cookie alike', async () => {
    const { mindbody, jar, browserRequests } = serve({ slowMs: 300, failure: 'slow' })
    const { result } = renderHookWithProviders(useSession, serverMode)
    await waitFor(() => expect(result.current.state.isRestoring).toBe(false))
    const first = result.current.signIn
      .mutateAsync({ Username: 'demo.owner', Password: 'demo-password' })
      .catch((error: unknown) => error)
    const second = result.current.signIn.mutateAsync(STAFF)
    await act(() => second)
    expect(await first).toMatchObject({ kind: 'aborted' })
    await waitFor(() => expect(result.current.state.user?.FirstName).toBe('Ada'))
    const session = await fetch('http://localhost/mindbody/session', { headers: { SiteId: '-99' } })
    expect((await session.json()).User.FirstName).toBe('Ada')
    expect(jar.size).toBe(1)
    // The owner's token was revoked before the staff sign-in was sent.
    expect(mindbody.validTokens()).toHaveLength(1)
    expect(browserRequests().map((r) => new URL(r.url).pathname.split('/').pop())).toEqual([
      'session',
      'issue',
      'revoke',
      'issue',
      'session',
    ])
  })

  it('keeps to one call at a time and the last sign-in across widgets with their own QueryClients', async () => {
    // Two widgets of one page, each its own React root and QueryClient: one cookie behind both.
    const { mindbody, jar, browserRequests } = serve({ slowMs: 300, failure: 'slow' })
    const widget = () =>
      renderHookWithProviders(useSession, { ...serverMode, queryClient: new QueryClient() })
    const [a, b] = [widget(), widget()]
    await waitFor(() => expect(b.result.current.state.isRestoring).toBe(false))
    const first = a.result.current.signIn
      .mutateAsync({ Username: 'demo.owner', Password: 'demo-password' })
      .catch((error: unknown) => error)
    await act(() => b.result.current.signIn.mutateAsync(STAFF))
    expect(await first).toMatchObject({ kind: 'aborted' })
    for (const { result } of [a, b])
      await waitFor(() => expect(result.current.state.user?.FirstName).toBe('Ada'))
    const session = await fetch('http://localhost/mindbody/session', { headers: { SiteId: '-99' } })
    expect((await session.json()).User.FirstName).toBe('Ada')
    expect([jar.size, mindbody.validTokens().length]).toEqual([1, 1])
    const calls = browserRequests().map((r) => new URL(r.url).pathname.split('/').pop())
    expect(calls.filter((call) => call !== 'session')).toEqual(['issue', 'revoke', 'issue'])
  })

  it('revokes a sign-in that a sign-out overtook, clearing the cookie it set', async () => {
    const { mindbody, jar } = serve({ slowMs: 300 })
    const { result } = await signedIn()
    mindbody.fail('slow', ['issue'])
    const late = result.current.signIn.mutateAsync(STAFF).catch((error: unknown) => error)
    await act(() => result.current.signOut.mutateAsync())
    expect(await act(() => late)).toMatchObject({ kind: 'aborted' })
    await waitFor(() => expect(jar.size).toBe(0))
    expect(result.current.state.isAuthenticated).toBe(false)
    expect(mindbody.validTokens()).toEqual([])
  })

  it('works with UserTokenGate', async () => {
    serve()
    render(
      <MindbodyProvider siteId={-99} baseURL="/mindbody" mode="server">
        <UserTokenGate fallback={<p>Signed out</p>} restoring={<p>Restoring</p>}>
          <p>Portal</p>
        </UserTokenGate>
      </MindbodyProvider>,
    )
    expect(screen.getByText('Restoring')).toBeTruthy()
    await screen.findByText('Signed out')
  })

  it('refuses storage and apiKey, with clear errors and nothing sent', async () => {
    const { browserRequests } = serve()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => renderHookWithProviders(useSession, { ...serverMode, storage: 'local' })).toThrow(
      'Invalid storage: only with mode="token"',
    )
    const { result } = renderHookWithProviders(useSession, { ...serverMode, apiKey: 'k' })
    await act(() => result.current.signIn.mutateAsync(STAFF).catch(() => {}))
    await waitFor(() =>
      expect(result.current.signIn.error?.message).toBe('Invalid apiKey: only with mode="token"'),
    )
    expect(browserRequests().filter((r) => r.url.endsWith('/issue'))).toHaveLength(0)
    vi.restoreAllMocks()
  })

  it("refuses the other mode's options in JavaScript too: storageKey and authScheme here, revalidateMs in token mode", async () => {
    const { browserRequests } = serve()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => renderHookWithProviders(useSession, { ...serverMode, storageKey: 'mine' })).toThrow(
      'Invalid storageKey: only with mode="token"',
    )
    expect(() => renderHookWithProviders(useSession, { revalidateMs: 60_000 })).toThrow(
      'Invalid revalidateMs: only with mode="server"',
    )
    const { result } = renderHookWithProviders(useSession, { ...serverMode, authScheme: 'Bearer' })
    await act(() => result.current.signIn.mutateAsync(STAFF).catch(() => {}))
    await waitFor(() =>
      expect(result.current.signIn.error).toMatchObject({
        kind: 'invalid-input',
        message: 'Invalid authScheme: only with mode="token"',
      }),
    )
    expect(browserRequests().filter((r) => r.url.endsWith('/issue'))).toHaveLength(0)
    vi.restoreAllMocks()
  })
})
