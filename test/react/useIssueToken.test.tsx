import { act, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { http, HttpResponse } from 'msw'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { useIssueToken, useUserToken, userTokenKeys, type IssueResponse } from '../../src'
import { renderHookWithProviders, renderWithProviders } from '../renderWithProviders'
import { API, server, STAFF, serveMockMindbody } from '../server'

function SignIn() {
  const signIn = useIssueToken()
  const { user } = useUserToken()
  const [password, setPassword] = useState('')
  return (
    <form
      onSubmit={(e) => (e.preventDefault(), signIn.mutate({ Username: 'demo.staff', Password: password }))}
    >
      <label>
        Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button>Sign in</button>
      {signIn.error && <p role="alert">{signIn.error.message}</p>}
      {user && <p>Signed in as {user.FirstName}</p>}
    </form>
  )
}

const cacheText = (queryClient: import('@tanstack/react-query').QueryClient) =>
  JSON.stringify([
    queryClient
      .getMutationCache()
      .getAll()
      .map((m) => ({ state: m.state, options: m.options })),
    queryClient
      .getQueryCache()
      .getAll()
      .map((q) => ({ state: q.state, key: q.queryKey })),
  ])

describe('useIssueToken', () => {
  it('signs in and shares the token with every reader', async () => {
    const { mindbody } = serveMockMindbody()
    const { queryClient } = renderWithProviders(<SignIn />)
    await userEvent.type(screen.getByLabelText('Password'), 'demo-password')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByText('Signed in as Ada')).toBeTruthy()
    const token = queryClient.getQueryData<IssueResponse>(userTokenKeys.token({ siteId: -99 }))
    expect(mindbody.isValid(token!.AccessToken, -99)).toBe(true)
  })

  it("shows Mindbody's own message for a wrong password and keeps you signed out", async () => {
    serveMockMindbody()
    renderWithProviders(<SignIn />)
    await userEvent.type(screen.getByLabelText('Password'), 'wrong')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect((await screen.findByRole('alert')).textContent).toBe('Staff identity authentication failed.')
    expect(screen.queryByText(/Signed in as/)).toBeNull()
  })

  it('makes the token shared before your onSuccess runs', async () => {
    serveMockMindbody()
    const seen: unknown[] = []
    const { result, queryClient } = renderHookWithProviders(() =>
      useIssueToken({
        onSuccess: () => void seen.push(queryClient.getQueryData(userTokenKeys.token({ siteId: -99 }))),
      }),
    )
    await act(() => result.current.mutateAsync(STAFF))
    expect(seen).toEqual([expect.objectContaining({ User: expect.objectContaining({ FirstName: 'Ada' }) })])
  })

  it('keeps the password out of variables, callbacks and both caches, on success and on failure', async () => {
    serveMockMindbody()
    const onSettled = vi.fn()
    const { result, queryClient } = renderHookWithProviders(() => useIssueToken({ onSettled }))
    await act(() => result.current.mutateAsync(STAFF))
    await waitFor(() => expect(result.current.variables).toEqual({ Username: 'demo.staff' }))
    await act(() =>
      result.current.mutateAsync({ Username: 'demo.staff', Password: 'wrong-password-xyz' }).catch(() => {}),
    )
    await waitFor(() => expect(result.current.error?.code).toBe('DeniedAccess'))
    expect(result.current.variables).toEqual({ Username: 'demo.staff' })
    expect(JSON.stringify(onSettled.mock.calls)).not.toMatch(/demo-password|wrong-password-xyz/)
    expect(cacheText(queryClient)).not.toMatch(/demo-password|wrong-password-xyz/)
    expect(cacheText(queryClient)).toContain('demo.staff')
  })

  it('sends exactly one request per mutate in StrictMode', async () => {
    const { requests } = serveMockMindbody()
    const { result } = renderHookWithProviders(() => useIssueToken(), { strict: true })
    await act(() => result.current.mutateAsync(STAFF))
    expect(requests).toHaveLength(1)
  })

  it('never retries a 4xx, whatever retry says', async () => {
    const { requests } = serveMockMindbody({ failure: 'wrong-password' })
    const { result } = renderHookWithProviders(() => useIssueToken({ retry: 3, retryDelay: 0 }))
    await act(() => result.current.mutateAsync(STAFF).catch(() => {}))
    await waitFor(() => expect(result.current.error?.status).toBe(403))
    expect(requests).toHaveLength(1)
  })

  it('retries a 5xx when you ask it to', async () => {
    const { requests, mindbody } = serveMockMindbody({ failure: 'server-error' })
    server.events.on('request:end', () => mindbody.fail(null))
    const { result } = renderHookWithProviders(() => useIssueToken({ retry: 1, retryDelay: 0 }))
    await act(() => result.current.mutateAsync(STAFF))
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    expect(requests).toHaveLength(2)
  })

  it.each(['rate-limited', 'network-error'] as const)(
    'retries a %s when you ask it to, and never more than asked',
    async (failure) => {
      const { requests } = serveMockMindbody({ failure, retryAfterSeconds: 0 })
      const { result } = renderHookWithProviders(() => useIssueToken({ retry: 2, retryDelay: 0 }))
      await act(() => result.current.mutateAsync(STAFF).catch(() => {}))
      await waitFor(() => expect(result.current.isError).toBe(true))
      expect(requests).toHaveLength(3)
    },
  )

  it('waits at least the Retry-After of a 429, whatever retryDelay says', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      const { requests, mindbody } = serveMockMindbody({ failure: 'rate-limited', retryAfterSeconds: 30 })
      const { result } = renderHookWithProviders(() => useIssueToken({ retry: 1, retryDelay: 10 }))
      const signingIn = result.current.mutateAsync(STAFF)
      await act(() => vi.advanceTimersByTimeAsync(29_000))
      expect(requests).toHaveLength(1)
      mindbody.fail(null)
      await act(() => vi.advanceTimersByTimeAsync(2_000))
      await act(() => signingIn)
      expect(requests).toHaveLength(2)
      await waitFor(() => expect(result.current.isSuccess).toBe(true))
    } finally {
      vi.useRealTimers()
    }
  })

  it('rejects bad input without a request or a state change', async () => {
    const { requests } = serveMockMindbody()
    const { result, queryClient } = renderHookWithProviders(() => useIssueToken())
    await act(() => result.current.mutateAsync({ Username: ' ', Password: 'x' }).catch(() => {}))
    await waitFor(() =>
      expect(result.current.error).toMatchObject({
        kind: 'invalid-input',
        message: expect.stringContaining('Username'),
      }),
    )
    expect(requests).toHaveLength(0)
    expect(queryClient.getQueryData(userTokenKeys.token({ siteId: -99 })) ?? null).toBeNull()
  })

  it('changes nothing when the answer is not a token', async () => {
    serveMockMindbody()
    const { result, queryClient } = renderHookWithProviders(() => ({
      signIn: useIssueToken(),
      state: useUserToken(),
    }))
    await act(() => result.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(result.current.state.isAuthenticated).toBe(true))
    const before = result.current.state.token
    server.use(http.post(`${API}/issue`, () => HttpResponse.html('<h1>Maintenance</h1>')))
    await act(() => result.current.signIn.mutateAsync(STAFF).catch(() => {}))
    await waitFor(() => expect(result.current.signIn.error?.kind).toBe('invalid-response'))
    expect(result.current.state.token).toBe(before)
    expect(queryClient.getQueryData(userTokenKeys.token({ siteId: -99 }))).toBe(before)
  })

  it('reports a network that is down', async () => {
    serveMockMindbody({ failure: 'network-error' })
    const { result } = renderHookWithProviders(() => useIssueToken())
    act(() => result.current.mutate(STAFF))
    await waitFor(() => expect(result.current.error?.kind).toBe('network'))
  })
})
