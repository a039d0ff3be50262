import { QueryClient } from '@tanstack/react-query'
import { Suspense } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { MindbodyProvider, UserTokenGate, useUserToken } from '../../src'

const KEY = 'mindbody-user-token:https://api.mindbodyonline.com:-99:6'
const SITE = 'mindbody-user-token https://api.mindbodyonline.com -99 6'

function Name() {
  const { user } = useUserToken()
  return <p>{user?.FirstName}</p>
}

/** The layout's provider, and the page in a boundary of its own, as Next.js with Cache Components streams it. */
const tree = () => (
  <MindbodyProvider siteId={-99} queryClient={new QueryClient()} storage="local">
    <Suspense fallback={<p>loading</p>}>
      <UserTokenGate fallback={<p>sign-in form</p>} restoring={<p>restoring</p>}>
        <Name />
      </UserTokenGate>
    </Suspense>
  </MindbodyProvider>
)

describe('hydration', () => {
  it.each([
    ['signed out', null, 'sign-in form'],
    [
      'a stored token',
      { AccessToken: 'a-token', Expires: '2999-01-01T00:00:00Z', User: { FirstName: 'Ada' } },
      'Ada',
    ],
  ])(
    'matches the server HTML in a boundary that hydrates after the provider restored (%s)',
    async (_, token, shown) => {
      const container = document.createElement('div')
      container.innerHTML = renderToString(tree())
      expect(container.textContent).toBe('restoring')
      document.body.append(container)
      if (token) localStorage.setItem(KEY, JSON.stringify({ site: SITE, token }))
      const recovered: unknown[] = []
      // As a browser hydrates: the shell first, whose provider starts restoring, then the boundary in a
      // later task. act() would hurry both into one pass.
      const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
      const wasAct = actEnvironment.IS_REACT_ACT_ENVIRONMENT
      actEnvironment.IS_REACT_ACT_ENVIRONMENT = false
      try {
        const root = hydrateRoot(container, tree(), { onRecoverableError: (error) => recovered.push(error) })
        await expect.poll(() => container.textContent).toBe(shown)
        root.unmount()
      } finally {
        actEnvironment.IS_REACT_ACT_ENVIRONMENT = wasAct
        container.remove()
      }
      expect(recovered).toEqual([])
    },
  )
})
