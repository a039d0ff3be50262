import { http, HttpResponse } from 'msw'
import { createMockMindbody, demoStaff, type MockMindbodyOptions } from '../src/testing'

/** The demo accounts shown on the forms: a staff member, and an owner (user ID 0). */
export const [staff, owner] = demoStaff as [(typeof demoStaff)[0], (typeof demoStaff)[0]]

/** The embedded backend of a story: a fresh stateful mock Mindbody. */
export const mock = (options?: MockMindbodyOptions) => ({
  msw: { handlers: createMockMindbody(options).handlers },
})

/**
 * For a story that invites a browser reload: the page's mock is built afresh on each load and knows
 * no token, so these handlers, placed first, keep accepting the one stored under `storageKey`, as the
 * real Mindbody would. Renew answers `{}` (the expiry moves on by 24 hours), revoke forgets it.
 */
export function acceptStoredToken(storageKey: string) {
  const isStored = (request: Request) => {
    try {
      const stored = JSON.parse(localStorage.getItem(storageKey) ?? 'null')
      return !!stored?.token?.AccessToken && request.headers.get('Authorization') === stored.token.AccessToken
    } catch {
      return false
    }
  }
  return [
    http.post('*/usertoken/renew', ({ request }) => (isStored(request) ? HttpResponse.json({}) : undefined)),
    http.delete('*/usertoken/revoke', ({ request }) =>
      isStored(request) ? HttpResponse.json({}) : undefined,
    ),
  ]
}
