import { act, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { useIssueToken, useRevokeToken, useUserToken } from '../../src'
import { renderHookWithProviders } from '../renderWithProviders'
import { API, server, serveMockMindbody } from '../server'
import { renderSignedIn } from '../renderSignedIn'

const useSession = () => ({ signIn: useIssueToken(), signOut: useRevokeToken(), state: useUserToken() })

describe('useRevokeToken', () => {
  it('retries the server call for the cleared token when asked, leaving the page signed out', async () => {
    const { mindbody, requests } = serveMockMindbody()
    const { result, token, queryClient } = await renderSignedIn()
    mindbody.fail('server-error', ['revoke'])
    server.events.on('request:end', ({ request }) => {
      if (request.method === 'DELETE') mindbody.fail(null)
    })
    const { result: hook } = renderHookWithProviders(() => useRevokeToken({ retry: 1, retryDelay: 0 }), {
      queryClient,
    })
    await act(() => hook.current.mutateAsync())
    expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(2)
    expect(mindbody.isValid(token.AccessToken)).toBe(false)
    await waitFor(() => expect(result.current.state.isAuthenticated).toBe(false))
    expect(hook.current.variables).toBeUndefined()
  })

  it('never retries a revoke that got a 4xx', async () => {
    const { requests } = serveMockMindbody()
    const { result } = await renderSignedIn()
    server.use(http.delete(`${API}/revoke`, () => new HttpResponse(null, { status: 400 })))
    await act(() => result.current.signOut.mutateAsync().catch(() => {}))
    expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(1)
  })

  it('signs out here and on the server', async () => {
    const { mindbody, requests } = serveMockMindbody()
    const {
      result,
      token: { AccessToken },
    } = await renderSignedIn()
    await act(() => result.current.signOut.mutateAsync())
    await waitFor(() => expect(result.current.state.isAuthenticated).toBe(false))
    expect(mindbody.isValid(AccessToken)).toBe(false)
    expect(requests.map((r) => r.method)).toEqual(['POST', 'DELETE'])
    expect(requests[1]!.headers.get('Authorization')).toBe(AccessToken)
  })

  it('resolves without a request when nobody is signed in', async () => {
    const { requests } = serveMockMindbody()
    const { result } = renderHookWithProviders(useSession)
    await act(() => result.current.signOut.mutateAsync())
    await waitFor(() => expect(result.current.signOut.isSuccess).toBe(true))
    expect(requests).toHaveLength(0)
  })

  it('still signs out locally when the server fails, and reports the error', async () => {
    const { mindbody } = serveMockMindbody()
    const { result } = await renderSignedIn()
    mindbody.fail('server-error', ['revoke'])
    await act(() => result.current.signOut.mutateAsync().catch(() => {}))
    await waitFor(() => expect(result.current.signOut.error).toMatchObject({ kind: 'http', status: 500 }))
    expect(result.current.state).toMatchObject({ isAuthenticated: false, token: null })
  })

  it('shows the sign-out at once, while the server is still answering', async () => {
    const { mindbody } = serveMockMindbody()
    const { result } = await renderSignedIn()
    mindbody.fail('slow', ['revoke'])
    act(() => result.current.signOut.mutate())
    await waitFor(() => expect(result.current.state.isAuthenticated).toBe(false))
    expect(result.current.signOut.isPending).toBe(true)
  })
})
