import { delay, http, HttpResponse, type HttpHandler } from 'msw'
import type { IssueResponse, User } from '../core/types'

/**
 * A staff account the mock accepts. Without `siteId` it may sign in to any site.
 *
 * @example
 * createMockMindbody({ users: [{ Username: 'zoe', Password: 'pw', siteId: 1234, User: { Id: 7, Type: 'Staff' } }] })
 */
export interface MockStaffUser {
  Username: string
  Password: string
  User: User
  siteId?: string | number
}

/**
 * How the mock misbehaves: every call fails this way until `fail(null)`. `'wrong-password'` answers
 * Mindbody's 403; `'slow'` answers after `slowMs`; `'hang-then-abort'` gives no answer for `slowMs`,
 * then drops the connection; `'rate-limited'` answers 429 `TooManyRequests` with `Retry-After`.
 *
 * @example
 * mindbody.fail('html') // a maintenance page where a token should be
 */
export type MockFailure =
  'wrong-password' | 'server-error' | 'html' | 'slow' | 'network-error' | 'hang-then-abort' | 'rate-limited'

/**
 * What a successful renew answers. Mindbody documents the answer only as an object, so each of these
 * is possible: the whole token, only `{ Expires }`, `{}`, an empty 200, or a 204.
 *
 * @example
 * mindbody.answerRenewWith('no-content')
 */
export type MockRenewAnswer = 'token' | 'expires' | 'empty-object' | 'empty-body' | 'no-content'

/**
 * The three endpoints, to aim a failure at one of them.
 *
 * @example
 * mindbody.fail('server-error', ['revoke'])
 */
export type MockEndpoint = 'issue' | 'renew' | 'revoke'

/**
 * Options of `createMockMindbody`.
 *
 * @example
 * createMockMindbody({ lifetimeMs: 60_000, apiKey: 'test-key', failure: 'slow', slowMs: 3000 })
 */
export interface MockMindbodyOptions {
  /** Answer only under this base URL. Default: any origin and prefix (`*`). */
  baseURL?: string
  /** The accounts that can sign in. Default: `demoStaff`. */
  users?: MockStaffUser[]
  /** How long an issued token lives. Default 24 hours. */
  lifetimeMs?: number
  /** When set, a request without this `Api-Key` is refused with 401, as Mindbody does. */
  apiKey?: string
  /** Start failing at once, on every endpoint. */
  failure?: MockFailure | null
  /** How long `'slow'` waits before answering. Default 1 500 ms. */
  slowMs?: number
  /** The `Retry-After` of `'rate-limited'`, in seconds. Default 1. */
  retryAfterSeconds?: number
  /** What a successful renew answers. Default `'token'`. */
  renewAnswer?: MockRenewAnswer
  /** How far the server's clock runs ahead of this device's (negative: behind). Default 0. */
  clockOffsetMs?: number
  /** Send a `Date` header, as a server does (a browser reads it only same-origin). Default true. */
  dateHeader?: boolean
}

/**
 * A stateful stand-in for Mindbody's user-token endpoints, for MSW.
 *
 * @example
 * const mindbody: MockMindbody = createMockMindbody()
 * expect(mindbody.isValid(token.AccessToken)).toBe(true)
 */
export interface MockMindbody {
  /** Give these to `setupServer(...)` or `setupWorker(...)`, or to msw-storybook-addon. */
  handlers: HttpHandler[]
  /** Fails every call (or those to `endpoints`) with `failure`; `null` heals. */
  fail(failure: MockFailure | null, endpoints?: MockEndpoint[]): void
  /** Whether the server would accept this token now (for this site, when given). */
  isValid(accessToken: string, siteId?: string | number): boolean
  /** When the server stops accepting this token, by this device's clock; `null` for an unknown token. */
  expiresAt(accessToken: string): Date | null
  /** Changes what a successful renew answers from now on. */
  answerRenewWith(answer: MockRenewAnswer): void
  /** Sets how far the server's clock runs ahead of this device's, from now on. */
  setClockOffset(offsetMs: number): void
  /** The tokens valid now. */
  validTokens(): string[]
  /** Forgets every token, heals every failure, and restores the renew answer and the clock. */
  reset(): void
}

/**
 * The accounts the mock accepts by default; the demo's form shows the first one.
 *
 * @example
 * const [staff] = demoStaff // demo.staff / demo-password
 */
export const demoStaff: MockStaffUser[] = [
  {
    Username: 'demo.staff',
    Password: 'demo-password',
    User: { Id: 100000123, FirstName: 'Ada', LastName: 'Lovelace', Type: 'Staff' },
  },
  {
    Username: 'demo.owner',
    Password: 'demo-password',
    User: { Id: 0, FirstName: 'Grace', LastName: 'Hopper', Type: 'Owner' },
  },
]

const DAY = 24 * 60 * 60 * 1000
const error = (status: number, Message: string, Code: string, headers?: HeadersInit) =>
  HttpResponse.json({ Error: { Message, Code } }, { status, headers })
const wrongPassword = () => error(403, 'Staff identity authentication failed.', 'DeniedAccess')
const invalidToken = () => error(401, 'The access token is invalid or has expired.', 'DeniedAccess')
const newToken = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')

interface Session {
  siteId: string
  user: User
  expires: number
  renewals: number
}

/**
 * Creates a mock Mindbody that issues, renews and revokes real-looking tokens and remembers them.
 *
 * @example
 * const mindbody = createMockMindbody()
 * const server = setupServer(...mindbody.handlers)
 * mindbody.fail('server-error') // the next calls answer 500
 */
export function createMockMindbody(options: MockMindbodyOptions = {}): MockMindbody {
  const { users = demoStaff, lifetimeMs = DAY, apiKey, slowMs = 1500, retryAfterSeconds = 1 } = options
  const base = options.baseURL?.replace(/\/+$/, '') ?? '*'
  const sessions = new Map<string, Session>()
  let failures: Partial<Record<MockEndpoint, MockFailure>> = {}
  let renewAnswer = options.renewAnswer ?? 'token'
  let clockOffset = options.clockOffsetMs ?? 0
  /** The server's clock. */
  const now = () => Date.now() + clockOffset
  const fail = (failure: MockFailure | null, endpoints: MockEndpoint[] = ['issue', 'renew', 'revoke']) => {
    for (const endpoint of endpoints) failures[endpoint] = failure ?? undefined
  }
  fail(options.failure ?? null)

  const bearer = (request: Request) => request.headers.get('Authorization')?.replace(/^Bearer\s+/i, '') ?? ''
  const session = (token: string, siteId?: string | number) => {
    const found = sessions.get(token)
    return found && found.expires > now() && (siteId === undefined || found.siteId === String(siteId))
      ? found
      : undefined
  }
  const body = (token: string, s: Session): IssueResponse => ({
    TokenType: 'Bearer',
    AccessToken: token,
    Expires: new Date(s.expires).toISOString(),
    User: s.user,
  })

  /** Mindbody's checks and the injected failure, in the order a request meets them; `undefined` passes. */
  const refuse = async (endpoint: MockEndpoint, request: Request, version: string) => {
    const failure = failures[endpoint]
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

  const handle = (
    method: 'post' | 'delete',
    endpoint: MockEndpoint,
    answer: (request: Request, siteId: string) => Promise<Response> | Response,
  ) =>
    http[method](`${base}/public/:version/usertoken/${endpoint}`, async ({ request, params }) => {
      const response =
        (await refuse(endpoint, request, String(params.version))) ??
        (await answer(request, request.headers.get('SiteId')!))
      if (options.dateHeader !== false && response.type !== 'error')
        response.headers.set('Date', new Date(now()).toUTCString())
      return response
    })

  const renewed = (token: string, s: Session) => {
    if (renewAnswer === 'no-content') return new HttpResponse(null, { status: 204 })
    if (renewAnswer === 'empty-body') return new HttpResponse(null, { status: 200 })
    if (renewAnswer === 'empty-object') return HttpResponse.json({})
    if (renewAnswer === 'expires') return HttpResponse.json({ Expires: body(token, s).Expires })
    return HttpResponse.json(body(token, s))
  }

  return {
    handlers: [
      handle('post', 'issue', async (request, siteId) => {
        const credentials = (await request.json().catch(() => null)) as Partial<MockStaffUser> | null
        const account = users.find(
          (u) =>
            u.Username === credentials?.Username &&
            u.Password === credentials?.Password &&
            (u.siteId === undefined || String(u.siteId) === siteId),
        )
        if (!account) return wrongPassword()
        const token = newToken()
        const s = { siteId, user: account.User, expires: now() + lifetimeMs, renewals: 0 }
        sessions.set(token, s)
        return HttpResponse.json(body(token, s))
      }),
      handle('post', 'renew', (request, siteId) => {
        const token = bearer(request)
        const s = session(token, siteId)
        if (!s) return invalidToken()
        if (s.renewals >= 7)
          return error(400, 'This token has been renewed too many times.', 'InvalidParameter')
        s.renewals++
        s.expires += DAY
        return renewed(token, s)
      }),
      handle('delete', 'revoke', (request, siteId) => {
        const token = bearer(request)
        if (!session(token, siteId)) return invalidToken()
        sessions.delete(token)
        return HttpResponse.json({})
      }),
    ],
    fail,
    isValid: (token, siteId) => !!session(token, siteId),
    expiresAt(token) {
      const found = sessions.get(token)
      return found ? new Date(found.expires - clockOffset) : null
    },
    answerRenewWith: (answer) => void (renewAnswer = answer),
    setClockOffset: (offsetMs) => void (clockOffset = offsetMs),
    validTokens: () => [...sessions.keys()].filter((token) => session(token)),
    reset: () => {
      sessions.clear()
      failures = {}
      renewAnswer = options.renewAnswer ?? 'token'
      clockOffset = options.clockOffsetMs ?? 0
    },
  }
}
