import { act, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useIssueToken, useRevokeToken, useUserToken } from '../src'
import { renderHookWithProviders } from './renderWithProviders'
import { serveMockMindbody } from './server'
import { renderSignedIn } from './session'

const useSession = () => ({ signIn: useIssueToken(), signOut: useRevokeToken(), state: useUserToken() })

describe('useRevokeToken', () => {
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
    expect(requests[1]!.headers.get('Authorization')).toBe(`Bearer ${AccessToken}`)
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
