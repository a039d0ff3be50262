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
 * How the mock misbehaves: every call fails this way until `fail(null)`. `'slow'` answers after
 * `slowMs`; `'hang-then-abort'` gives no answer for `slowMs`, then drops the connection.
 *
 * @example
 * mindbody.fail('html') // a maintenance page where a token should be
 */
export type MockFailure =
  'wrong-password' | 'server-error' | 'html' | 'slow' | 'network-error' | 'hang-then-abort'

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
  /** When set, a request without this `Api-Key` is refused with 401. */
  apiKey?: string
  /** Start failing at once, on every endpoint. */
  failure?: MockFailure | null
  /** How long `'slow'` waits before answering. Default 1 500 ms. */
  slowMs?: number
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
  /** The tokens valid now. */
  validTokens(): string[]
  /** Forgets every token and heals every failure. */
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
const error = (status: number, Message: string, Code: string) =>
  HttpResponse.json({ Error: { Message, Code } }, { status })
const wrongPassword = () => error(401, 'Staff identity authentication failed.', 'DeniedAccess')
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
  const { users = demoStaff, lifetimeMs = DAY, apiKey, slowMs = 1500 } = options
  const base = options.baseURL?.replace(/\/+$/, '') ?? '*'
  const sessions = new Map<string, Session>()
  let failures: Partial<Record<MockEndpoint, MockFailure>> = {}
  const fail = (failure: MockFailure | null, endpoints: MockEndpoint[] = ['issue', 'renew', 'revoke']) => {
    for (const endpoint of endpoints) failures[endpoint] = failure ?? undefined
  }
  fail(options.failure ?? null)

  const bearer = (request: Request) => request.headers.get('Authorization')?.replace(/^Bearer\s+/i, '') ?? ''
  const session = (token: string, siteId?: string | number) => {
    const found = sessions.get(token)
    return found && found.expires > Date.now() && (siteId === undefined || found.siteId === String(siteId))
      ? found
      : undefined
  }
  const body = (token: string, s: Session): IssueResponse => ({
    TokenType: 'Bearer',
    AccessToken: token,
    Expires: new Date(s.expires).toISOString(),
    User: s.user,
  })

  const handle = (
    method: 'post' | 'delete',
    endpoint: MockEndpoint,
    answer: (request: Request, siteId: string) => Promise<Response> | Response,
  ) =>
    http[method](`${base}/public/:version/usertoken/${endpoint}`, async ({ request, params }) => {
      const failure = failures[endpoint]
      if (failure === 'network-error') return HttpResponse.error()
      if (failure === 'slow' || failure === 'hang-then-abort') await delay(slowMs)
      if (failure === 'hang-then-abort') return HttpResponse.error()
      if (failure === 'server-error') return error(500, 'An internal server error occurred.', 'InternalError')
      if (failure === 'html')
        return HttpResponse.html('<!doctype html><title>Down for maintenance</title><h1>Back soon</h1>')
      const siteId = request.headers.get('SiteId') ?? ''
      if (!/^v[1-9]\d*$/.test(String(params.version)))
        return error(404, 'Unknown API version.', 'InvalidParameter')
      if (apiKey !== undefined && request.headers.get('Api-Key') !== apiKey)
        return error(401, 'Missing or invalid Api-Key.', 'DeniedAccess')
      if (!/^-?\d+$/.test(siteId)) return error(400, 'SiteId header is required.', 'InvalidParameter')
      if (failure === 'wrong-password') return wrongPassword()
      return answer(request, siteId)
    })

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
        const s = { siteId, user: account.User, expires: Date.now() + lifetimeMs, renewals: 0 }
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
        return HttpResponse.json(body(token, s))
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
    validTokens: () => [...sessions.keys()].filter((token) => session(token)),
    reset: () => {
      sessions.clear()
      failures = {}
    },
  }
}
