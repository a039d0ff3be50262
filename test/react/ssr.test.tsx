// @vitest-environment node
import { QueryClient } from '@tanstack/react-query'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { MindbodyProvider, UserTokenGate, useUserToken, type MindbodyProviderProps } from '../../src'

function Status() {
  const { isRestoring, isAuthenticated } = useUserToken()
  return <p>{isRestoring ? 'restoring' : isAuthenticated ? 'signed in' : 'signed out'}</p>
}

const html = (props: Partial<MindbodyProviderProps>) =>
  renderToString(
    <MindbodyProvider siteId={-99} queryClient={new QueryClient()} {...props}>
      <Status />
      <UserTokenGate fallback={<p>sign-in form</p>} restoring={<p>loading</p>}>
        <p>portal</p>
      </UserTokenGate>
    </MindbodyProvider>,
  )

describe('server rendering', () => {
  it('renders in Node, with no window, as signed out with memory storage', () => {
    expect(typeof window).toBe('undefined')
    expect(html({})).toBe('<p>signed out</p><p>sign-in form</p>')
  })

  it('renders the restoring state when the token may be stored in the browser', () => {
    expect(html({ storage: 'local', autoRenew: {} })).toBe('<p>restoring</p><p>loading</p>')
  })
})
