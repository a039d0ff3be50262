import { act, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderHookWithProviders } from '../renderWithProviders'
import { STAFF, serveMockMindbody } from '../server'
import { useSession } from '../renderSignedIn'

describe('the last action wins', () => {
  it('never lets a sign-in that a sign-out overtook bring its token back, and revokes that token', async () => {
    const { mindbody } = serveMockMindbody({ failure: 'slow', slowMs: 150 })
    const { result } = renderHookWithProviders(useSession)
    const signingIn = result.current.signIn.mutateAsync(STAFF).catch((error: unknown) => error)
    await act(() => result.current.signOut.mutateAsync())
    expect(await act(() => signingIn)).toMatchObject({ kind: 'aborted' })
    await waitFor(() => expect(mindbody.validTokens()).toEqual([]))
    expect(result.current.state.isAuthenticated).toBe(false)
  })

  it('keeps the second of two sign-ins even when the first answers last', async () => {
    const { mindbody } = serveMockMindbody({ failure: 'slow', slowMs: 150 })
    const { result } = renderHookWithProviders(useSession)
    const first = result.current.signIn.mutateAsync(STAFF).catch((error: unknown) => error)
    mindbody.fail(null)
    const second = await act(() => result.current.signIn.mutateAsync(STAFF))
    expect(await act(() => first)).toMatchObject({ kind: 'aborted' })
    await waitFor(() => expect(mindbody.validTokens()).toEqual([second.AccessToken]))
    expect(result.current.state.accessToken).toBe(second.AccessToken)
  })
})
