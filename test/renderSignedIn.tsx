import { act, waitFor } from '@testing-library/react'
import { expect } from 'vitest'
import { useIssueToken, useMindbodyClient, useRenewToken, useRevokeToken, useUserToken } from '../src'
import { renderHookWithProviders, type ProvidersOptions } from './renderWithProviders'
import { STAFF } from './server'

/** Every hook a staff portal uses, in one, for lifecycle tests. */
export const useSession = () => ({
  signIn: useIssueToken(),
  signOut: useRevokeToken(),
  renew: useRenewToken(),
  state: useUserToken(),
  client: useMindbodyClient(),
})

/**
 * Renders `useSession` in the providers and signs `STAFF` in. It returns once the new token has
 * rendered: React 18's `act` may return before React Query notifies, and `result.current` is then stale.
 */
export async function renderSignedIn(options?: ProvidersOptions) {
  const view = renderHookWithProviders(useSession, options)
  const token = await act(() => view.result.current.signIn.mutateAsync(STAFF))
  await waitFor(() => expect(view.result.current.state.accessToken).toBe(token.AccessToken))
  return { ...view, token }
}
