import { act, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { useIssueToken, useRevokeToken, UserTokenGate } from '../../src'
import { renderWithProviders } from '../renderWithProviders'
import { STAFF, serveMockMindbody } from '../server'

function Portal() {
  const signIn = useIssueToken()
  const signOut = useRevokeToken()
  return (
    <UserTokenGate fallback={<button onClick={() => signIn.mutate(STAFF)}>Sign in</button>}>
      <button onClick={() => signOut.mutate()}>Sign out</button>
    </UserTokenGate>
  )
}

describe('UserTokenGate', () => {
  it('shows the fallback while signed out and the children while signed in', async () => {
    serveMockMindbody()
    renderWithProviders(<Portal />)
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }))
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy()
  })

  it('shows nothing by default while restoring', async () => {
    const storage = { getItem: () => new Promise<null>(() => {}), setItem() {}, removeItem() {} }
    const { container } = renderWithProviders(
      <UserTokenGate fallback={<p>Sign in</p>}>
        <p>Portal</p>
      </UserTokenGate>,
      { storage },
    )
    await act(async () => {})
    expect(container.innerHTML).toBe('')
  })

  it.each([
    ['demo.owner', 'Payroll'],
    ['demo.staff', 'Owners only.'],
  ])('lets allow decide by User.Type: %s sees %s', async (Username, shown) => {
    serveMockMindbody()
    function OwnerArea() {
      const signIn = useIssueToken()
      return (
        <UserTokenGate
          fallback={
            <button onClick={() => signIn.mutate({ Username, Password: 'demo-password' })}>Sign in</button>
          }
        >
          <UserTokenGate allow={(user) => user.Type === 'Owner'} denied={<p>Owners only.</p>}>
            <p>Payroll</p>
          </UserTokenGate>
        </UserTokenGate>
      )
    }
    renderWithProviders(<OwnerArea />)
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByText(shown)).toBeTruthy()
    expect(screen.queryByText(shown === 'Payroll' ? 'Owners only.' : 'Payroll')).toBeNull()
  })
})
