import { delay, http, HttpResponse } from 'msw'
import type { IssueResponse } from '../core/types'
import { demoStaff, type MockEndpoint, type MockMindbodyOptions, type MockStaffUser } from './mockOptions'
import type { IssuedToken, MockState } from './mockState'

const DAY = 24 * 60 * 60 * 1000
const error = (status: number, Message: string, Code: string, headers?: HeadersInit) =>
  HttpResponse.json({ Error: { Message, Code } }, { status, headers })
const wrongPassword = () => error(403, 'Staff identity authentication failed.', 'DeniedAccess')
const invalidToken = () => error(401, 'The access token is invalid or has expired.', 'DeniedAccess')
const newToken = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
const bearer = (request: Request) => request.headers.get('Authorization')?.replace(/^Bearer\s+/i, '') ?? ''
const body = (token: string, s: IssuedToken): IssueResponse => ({
  TokenType: 'Bearer',
  AccessToken: token,
  Expires: new Date(s.expires).toISOString(),
  User: s.user,
})

/** Mindbody's checks and the injected failure, in the order a request meets them; `undefined` passes. */
async function refusal(
  state: MockState,
  options: MockMindbodyOptions,
  endpoint: MockEndpoint,
  request: Request,
  version: string,
) {
  const { slowMs = 1500, retryAfterSeconds = 1, apiKey } = options
  const failure = state.failures[endpoint]
  if (failure === 'network-error') return HttpResponse.error()
  if (failure === 'slow' || failure === 'hang-then-abort') await delay(slowMs)
  if (failure === 'hang-then-abort') return HttpResponse.error()
  if (failure === 'server-error') return error(500, 'An internal server error occurred.', 'InternalError')
  if (failure === 'rate-limited')
    return error(429, 'Too many requests.', 'TooManyRequests', { 'Retry-After': String(retryAfterSeconds) })
  if (failure === 'html')
    return HttpResponse.html('<!doctype html><title>Down for maintenance</title><h1>Back soon</h1>')
  if (!/^v[1-9]\d*$/.test(version)) return error(404, 'Unknown API version.', 'InvalidParameter')
  const key = request.headers.get('Api-Key')
  if (apiKey !== undefined && key !== apiKey)
    return error(401, key ? 'Invalid API key' : 'Missing API key', 'DeniedAccess')
  if (!/^-?\d+$/.test(request.headers.get('SiteId') ?? ''))
    return error(400, 'SiteId header is required.', 'InvalidParameter')
  if (failure === 'wrong-password') return wrongPassword()
}

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

/** The MSW handlers of the three endpoints, over the mock's state, then the 404 of every other one. */
export function mockHandlers(state: MockState, options: MockMindbodyOptions) {
  const { users = demoStaff, lifetimeMs = DAY } = options
  const base = options.baseURL?.replace(/\/+$/, '') ?? '*'
  type Answer = (request: Request, siteId: string, sent: unknown) => Response
  /** Reads the body, then loads the state, answers and saves in one step: no other tab's mock writes between. */
  const answerInOneStep = async (request: Request, answer: Answer) => {
    const sent: unknown = await request.json().catch(() => null)
    state.load()
    const response = answer(request, request.headers.get('SiteId')!, sent)
    state.save()
    return response
  }
  const handle = (method: 'post' | 'delete', endpoint: MockEndpoint, answer: Answer) =>
    http[method](`${base}/public/:version/usertoken/${endpoint}`, async ({ request, params }) => {
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
    notFound(base),
  ]
}
