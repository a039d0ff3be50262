import { act, screen, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { useIssueToken, useMindbodyConfig, useRevokeToken, useUserToken } from '../../src'
import { renderHookWithProviders, renderWithProviders } from '../renderWithProviders'
import { API, server, STAFF, serveMockMindbody } from '../server'

describe('useUserToken', () => {
  it('starts signed out', () => {
    const { result } = renderHookWithProviders(useUserToken)
    expect(result.current).toEqual({
      token: null,
      accessToken: null,
      user: null,
      expiresAt: null,
      isAuthenticated: false,
      isExpired: false,
      isRestoring: false,
      signOutReason: null,
    })
  })

  it('exposes the token, the user and the expiry after sign-in', async () => {
    serveMockMindbody()
    const { result } = renderHookWithProviders(() => ({ signIn: useIssueToken(), state: useUserToken() }))
    const token = await act(() => result.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(result.current.state.isAuthenticated).toBe(true))
    expect(result.current.state).toEqual({
      token,
      accessToken: token.AccessToken,
      user: { Id: 100000123, FirstName: 'Ada', LastName: 'Lovelace', Type: 'Staff' },
      expiresAt: new Date(token.Expires!),
      isAuthenticated: true,
      isExpired: false,
      isRestoring: false,
      signOutReason: null,
    })
  })

  it('reads an Expires without an offset as UTC', async () => {
    server.use(
      http.post(`${API}/issue`, () =>
        HttpResponse.json({ AccessToken: 'abc', Expires: '2030-01-02T03:04:05' }),
      ),
    )
    const { result } = renderHookWithProviders(() => ({ signIn: useIssueToken(), state: useUserToken() }))
    await act(() => result.current.signIn.mutateAsync(STAFF))
    await waitFor(() =>
      expect(result.current.state.expiresAt?.toISOString()).toBe('2030-01-02T03:04:05.000Z'),
    )
  })

  it('re-renders its readers only when the token changes', async () => {
    serveMockMindbody()
    const renders = { token: 0, config: 0 }
    function TokenReader() {
      renders.token++
      return <p>{useUserToken().user?.FirstName ?? 'nobody'}</p>
    }
    function ConfigReader() {
      renders.config++
      return <p>site {useMindbodyConfig().siteId}</p>
    }
    let actions!: { signIn: ReturnType<typeof useIssueToken>; signOut: ReturnType<typeof useRevokeToken> }
    function Actions() {
      actions = { signIn: useIssueToken(), signOut: useRevokeToken() }
      return null
    }
    const { queryClient } = renderWithProviders(
      <>
        <TokenReader />
        <ConfigReader />
        <Actions />
      </>,
      { strict: false },
    )
    await screen.findByText('nobody')
    const start = { ...renders }

    await act(() => actions.signIn.mutateAsync(STAFF))
    await screen.findByText('Ada')
    await act(() => queryClient.invalidateQueries())
    await act(() => actions.signIn.mutateAsync({ Username: 'demo.staff', Password: 'nope' }).catch(() => {}))
    await act(() => actions.signOut.mutateAsync())
    await screen.findByText('nobody')

    expect(renders.token - start.token).toBe(2)
    expect(renders.config - start.config).toBe(0)
  })
})
