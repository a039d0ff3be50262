import type { User } from '../src'
import { memorySessionStore } from '../src/server/stores/memorySessionStore'
import { createMockMindbody, demoStaff } from '../src/testing'
import { proxyInPage } from './proxyInPage'

/** The portal's backend in token mode: the mock Mindbody, which answers the staff, classes and clients reads too. */
export function portalMock() {
  return { msw: { handlers: createMockMindbody().handlers } }
}

/**
 * The portal's backend in server mode: the real `/server` proxy, run inside the page by MSW so the demo
 * stays offline, in front of the mock. In production the proxy runs on your server. The proxy keeps a
 * session store, so the staff member can list their sessions and sign out their other devices.
 */
export function serverPortalMock() {
  const mindbody = createMockMindbody()
  const proxy = proxyInPage({ session: { store: memorySessionStore() } })
  return {
    parameters: { msw: { handlers: [proxy.handler, ...mindbody.handlers] } },
    /** The page's cookies, as the proxy set them: empty once a sign-out has reached the server. */
    jar: proxy.jar,
    /**
     * Another device signs in as `user`'s demo account: its own request to the proxy, which keeps its
     * cookie, not this page's.
     */
    async signInElsewhere(user: User | null) {
      const account = demoStaff.find((a) => a.User.Id === user?.Id)
      if (!account) throw new Error('Only a demo account can sign in on a second device here.')
      const request = new Request(new URL('/mindbody/public/v6/usertoken/issue', location.href), {
        method: 'POST',
        body: JSON.stringify({ Username: account.Username, Password: account.Password }),
      })
      // A browser drops Sec-Fetch-Site from a Request a script builds: a plain Headers object keeps it
      // (as in proxyInPage). A real device's browser sends it, and a cookie of its own.
      const headers = new Headers({
        'Content-Type': 'application/json',
        'X-Mindbody-Proxy': '1',
        'Sec-Fetch-Site': 'same-origin',
        SiteId: '-99',
      })
      Object.defineProperty(request, 'headers', { value: headers })
      const answer = await proxy.proxy(request)
      if (!answer.ok) throw new Error(`The second device's sign-in was refused (${answer.status}).`)
    },
  }
}

/**
 * A shared front desk's backend: the real `/server` proxy in the page, with a desk (4-digit PINs) and
 * refunds that need a manager's approval and a reason, in front of the mock, which refunds a sale for a
 * staff member allowed to.
 */
export function deskMock() {
  const mindbody = createMockMindbody()
  const proxy = proxyInPage({
    session: { store: memorySessionStore() },
    desk: { pinLength: 4 },
    approvals: { 'POST /sale/returnsale': { permission: 'RefundSales', reason: true } },
  })
  /** `jar`: the page's cookies; clearing it leaves the desk, as a new browser would. */
  return { msw: { handlers: [proxy.handler, ...mindbody.handlers] }, jar: proxy.jar }
}
