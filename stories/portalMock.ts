import { http, HttpResponse } from 'msw'
import { createMockMindbody, type MockMindbody } from '../src/testing'
import { proxyInPage } from './proxyInPage'

const at = (hour: number, minute = 0) => {
  const date = new Date()
  date.setHours(hour, minute, 0, 0)
  return date.toISOString()
}

/** Today's classes, for a signed-in token of the mock; 401 otherwise, as Mindbody answers. */
const classes = (mindbody: MockMindbody) =>
  http.get('*/public/v6/class/classes', ({ request }) =>
    mindbody.isValid(request.headers.get('Authorization') ?? '')
      ? HttpResponse.json({
          Classes: [
            { Id: 1, Name: 'Morning Flow', StartDateTime: at(7), Staff: 'Ada Lovelace' },
            { Id: 2, Name: 'Lunchtime HIIT', StartDateTime: at(12, 15), Staff: 'Grace Hopper' },
            { Id: 3, Name: 'Evening Yin', StartDateTime: at(18, 30), Staff: 'Ada Lovelace' },
          ],
        })
      : HttpResponse.json({ Error: { Message: 'Invalid token.', Code: 'DeniedAccess' } }, { status: 401 }),
  )

/** The portal's backend in token mode: the mock Mindbody and its schedule. */
export function portalMock() {
  const mindbody = createMockMindbody()
  return { msw: { handlers: [classes(mindbody), ...mindbody.handlers] } }
}

/**
 * The portal's backend in server mode: the real `/server` proxy, run inside the page by MSW so the demo
 * stays offline, in front of the mock. In production the proxy runs on your server.
 */
export function serverPortalMock() {
  const mindbody = createMockMindbody()
  const proxy = proxyInPage()
  return {
    parameters: { msw: { handlers: [proxy.handler, classes(mindbody), ...mindbody.handlers] } },
    /** The page's cookies, as the proxy set them: empty once a sign-out has reached the server. */
    jar: proxy.jar,
  }
}
