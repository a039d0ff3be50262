import { http, HttpResponse } from 'msw'
import type { IssueResponse } from '../core/types'
import { demoStaff } from './demoStaff'
import { mockPaths, type MockMindbodyOptions, type MockStaffUser } from './mockOptions'
import { bearer, error, invalidToken, refusal, wrongPassword } from './mockRefusal'
import type { IssuedToken, MockState } from './mockState'
import { readHandlers } from './readHandlers'
import { siteHandlers, type MockAnswer, type MockHandle } from './siteHandlers'

const DAY = 24 * 60 * 60 * 1000
const newToken = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
const body = (token: string, s: IssuedToken): IssueResponse => ({
  TokenType: 'Bearer',
  AccessToken: token,
  Expires: new Date(s.expires).toISOString(),
  User: s.user,
})

/** What a successful renew answers, as `state.renewAnswer` says. */
function renewed(state: MockState, token: string, s: IssuedToken) {
  const answer = state.renewAnswer
  if (answer === 'no-content') return new HttpResponse(null, { status: 204 })
  if (answer === 'empty-body') return new HttpResponse(null, { status: 200 })
  if (answer === 'empty-object') return HttpResponse.json({})
  if (answer === 'expires') return HttpResponse.json({ Expires: body(token, s).Expires })
  return HttpResponse.json(body(token, s))
}

/**
 * Any other call under the API's `/public/v{n}/`: Mindbody's JSON 404, never a page of the app (a dev
 * server answers its index.html to any path). Other paths, the app's own, are not the mock's business.
 */
const notFound = (base: string) =>
  http.all(`${base}/public/:version/*`, ({ request, params }) => {
    if (!/^v[1-9]\d*$/.test(String(params.version))) return undefined
    const { pathname } = new URL(request.url)
    return error(
      404,
      `The mock Mindbody has no ${request.method} ${pathname}: put a handler of yours in front of its handlers.`,
      'NotFound',
    )
  })

/** The MSW handlers of the mock's endpoints, over its state, then the 404 of every other one. */
export function mockHandlers(state: MockState, options: MockMindbodyOptions) {
  const { users = demoStaff, lifetimeMs = DAY } = options
  const base = options.baseURL?.replace(/\/+$/, '') ?? '*'
  /** Reads the body, then loads the state, answers and saves in one step: no other tab's mock writes between. */
  const answerInOneStep = async (request: Request, answer: MockAnswer) => {
    const sent: unknown = await request.json().catch(() => null)
    state.load()
    const response = answer(request, request.headers.get('SiteId')!, sent)
    state.save()
    return response
  }
  const handle: MockHandle = (method, endpoint, answer) =>
    http[method](`${base}/public/:version/${mockPaths[endpoint]}`, async ({ request, params }) => {
      const response =
        (await refusal(state, options, endpoint, request, String(params.version))) ??
        (await answerInOneStep(request, answer))
      if (options.dateHeader !== false && response.type !== 'error')
        response.headers.set('Date', new Date(state.now()).toUTCString())
      return response
    })

  return [
    handle('post', 'issue', (_request, siteId, sent) => {
      const credentials = sent as Partial<MockStaffUser> | null
      const account = users.find(
        (u) =>
          u.Username === credentials?.Username &&
          u.Password === credentials?.Password &&
          (u.siteId === undefined || String(u.siteId) === siteId),
      )
      if (!account) return wrongPassword()
      const token = newToken()
      const s = { siteId, user: account.User, expires: state.now() + lifetimeMs, renewals: 0 }
      state.tokens.set(token, s)
      return HttpResponse.json(body(token, s))
    }),
    handle('post', 'renew', (request, siteId) => {
      const token = bearer(request)
      const s = state.issued(token, siteId)
      if (!s) return invalidToken()
      if (s.renewals >= 7)
        return error(400, 'This token has been renewed too many times.', 'InvalidParameter')
      s.renewals++
      s.expires += DAY
      return renewed(state, token, s)
    }),
    handle('delete', 'revoke', (request, siteId) => {
      const token = bearer(request)
      if (!state.issued(token, siteId)) return invalidToken()
      state.tokens.delete(token)
      return HttpResponse.json({})
    }),
    ...siteHandlers(handle, state, users),
    ...readHandlers(handle, state, users),
    notFound(base),
  ]
}
