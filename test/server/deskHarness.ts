import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import {
  memorySessionStore,
  type MindbodyProxyOptions,
  type ProxyEvent,
  type SessionStore,
} from '../../src/server'
import { pageCall, startProxy } from './startProxy'
import { startStandIn } from './standIn'
import { answerPermissions, credentials, USERS } from './staffGroups'

/**
 * What the tests of the shared front desk share, over real sockets: a Mindbody stand-in whose refund
 * answers only a valid token, browsers that keep the desk's one cookie, desk proxies in front of the
 * stand-in, and a desk with two staff members signed in, each with a PIN.
 */
export const TOKEN = '/mindbody/public/v6/usertoken'
export const STAFF = '/mindbody/public/v6/staff/staff'
export const REFUND = '/mindbody/public/v6/sale/returnsale'
export const [ADA, MIA] = [100000123, 100000456]
export const PASSWORD = 'demo-password'
export const PINS = { ada: '4821', mia: '9035', grace: '1357' }
/** The approvals of a desk proxy: a refund needs RefundSales and a reason. */
export const APPROVALS = { 'POST /sale/returnsale': { permission: 'RefundSales', reason: true } } as const

export type StandIn = Awaited<ReturnType<typeof startStandIn>>

/** Stands in front of `standIn`'s refund, answering only a valid token. */
export const refundHandler = (standIn: StandIn) =>
  http.post('*/public/v6/sale/returnsale', ({ request }) =>
    standIn.mindbody.isValid(request.headers.get('Authorization') ?? '')
      ? HttpResponse.json({ ReturnSaleId: 77 })
      : HttpResponse.json({ Error: { Code: 'DeniedAccess' } }, { status: 401 }),
  )

/** A stand-in for Mindbody with the desk tests' staff, their permissions, and a refund. */
export async function deskStandIn() {
  const standIn = await startStandIn({ users: USERS })
  answerPermissions(standIn)
  standIn.use(refundHandler(standIn))
  return standIn
}

/**
 * `secret` as it would leak: a short one (a PIN, a name) only standing alone, not as letters or digits
 * that a random id, a sealed value or a timestamp happens to hold (`…add913577f…` holds `1357`).
 */
export const exactly = (secret: string) => {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(secret.length < 8 ? `(?<![\\w-])${escaped}(?![\\w-])` : escaped)
}

/**
 * One browser at a desk, calling the proxy at `origin` from the app's page at `page`: its one cookie,
 * kept as a browser keeps it. Every answer, cookie and header it gets goes into `everything`.
 */
function browser(origin: string, page: string, everything: string[]) {
  let cookie: string | undefined
  const call = pageCall(origin)
  const send = async (path: string, init: RequestInit = {}, headers: Record<string, string> = {}) => {
    const response = await call(path, cookie, { ...init, headers: { Origin: page, ...headers } })
    const set = response.headers.get('Set-Cookie')
    if (set) cookie = /Max-Age=0/.test(set) ? undefined : set.split(';')[0]
    const text = await response.text()
    everything.push(text, cookie ?? '', ...[...response.headers].map(([name, value]) => `${name}: ${value}`))
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      set,
      headers: response.headers,
    }
  }
  const post = (path: string, body?: object, headers?: Record<string, string>) =>
    send(path, { method: 'POST', body: body && JSON.stringify(body) }, headers)
  return {
    get cookie() {
      return cookie
    },
    set cookie(value) {
      cookie = value
    },
    send,
    post,
    signIn: (username: string) => send(`${TOKEN}/issue`, { method: 'POST', body: credentials(username) }),
    signOut: () => send(`${TOKEN}/revoke`, { method: 'DELETE' }),
    renew: () => post(`${TOKEN}/renew`),
    session: () => send('/mindbody/session'),
    lock: () => post('/mindbody/desk/lock'),
    unlock: (UserId: number, Pin: string) => post('/mindbody/desk/unlock', { UserId, Pin }),
    setPin: (Pin: string) => post('/mindbody/desk/pin', { Pin }),
    endShift: (UserId?: number) => post('/mindbody/desk/end', UserId === undefined ? {} : { UserId }),
    staff: () => send(STAFF),
    refund: (body: object = { SaleId: 5 }, approval?: string, path = REFUND) =>
      post(path, body, approval ? { 'X-Mindbody-Approval': approval } : {}),
    approve: (id: string, UserId: number, Pin: string, Reason: string | undefined = 'asked') =>
      post(`/mindbody/desk/approvals/${id}`, { UserId, Pin, Reason }),
    cancel: (id: string) => send(`/mindbody/desk/approvals/${id}`, { method: 'DELETE' }),
  }
}
export type Browser = ReturnType<typeof browser>

/** What a harness keeps for the test under way. */
interface Stage {
  /** Started before each test; a test may replace it. */
  standIn: StandIn
  /** Closed after each test: the stand-in and every proxy started. */
  open: Array<{ close(): Promise<void> }>
  /** Everything any browser got: answers, cookies and headers. */
  everything: string[]
}

/** Proxies in front of `stage`'s stand-in, and browsers that call them from `page`, or from their own origin. */
function desks(stage: Stage, page?: string) {
  /** A proxy with `options`, closed after the test; it lists `page` in `origins`. */
  const started = async (options: Partial<MindbodyProxyOptions>) => {
    const proxy = await startProxy(stage.standIn.url, { ...(page && { origins: [page] }), ...options })
    stage.open.push({ close: () => (proxy.server.closeAllConnections(), proxy.close()) })
    return proxy
  }
  const browserAt = (origin: string) => browser(origin, page ?? origin, stage.everything)

  /** A desk proxy on `store`, its approvals mapped, keeping its events. */
  async function deskProxy(
    options: Partial<MindbodyProxyOptions> = {},
    store: SessionStore = memorySessionStore(),
  ) {
    const events: ProxyEvent[] = []
    const proxy = await started({
      session: { store },
      desk: {},
      approvals: APPROVALS,
      onEvent: (event) => void events.push(event),
      ...options,
    })
    return { ...proxy, events, browser: () => browserAt(proxy.origin) }
  }

  /** A desk with Ada (front desk) and then Mia (manager) signed in, each with a PIN: Mia active. */
  async function twoAtDesk(options?: Partial<MindbodyProxyOptions>, store?: SessionStore) {
    const proxy = await deskProxy(options, store)
    const desk = proxy.browser()
    expect((await desk.signIn('demo.staff')).status).toBe(200)
    expect((await desk.setPin(PINS.ada)).status).toBe(200)
    const adaToken = stage.standIn.mindbody.validTokens().at(-1)!
    expect((await desk.signIn('demo.manager')).status).toBe(200)
    expect((await desk.setPin(PINS.mia)).status).toBe(200)
    const miaToken = stage.standIn.mindbody.validTokens().at(-1)!
    return { proxy, desk, adaToken, miaToken }
  }

  return { started, browser: browserAt, deskProxy, twoAtDesk }
}

/**
 * The desk tests' stage, for the test file that calls it: a fresh stand-in before each test; after
 * it, the clock real again and everything in `open` closed. Browsers call from `page` (a proxy then
 * lists it in `origins`), or from the proxy's own origin.
 */
export function deskHarness(page?: string) {
  const stage: Stage = { standIn: undefined!, open: [], everything: [] }
  beforeEach(async () => {
    stage.standIn = await deskStandIn()
    stage.open.push(stage.standIn)
  })
  afterEach(async () => {
    vi.useRealTimers()
    await Promise.all(stage.open.splice(0).map((o) => o.close()))
  })
  return Object.assign(stage, desks(stage, page), {
    /** The tokens the stand-in holds valid now. */
    validTokens: () => stage.standIn.mindbody.validTokens(),
    /** Every call that reached the stand-in in this test, as it saw them. */
    upstream: () => stage.standIn.seen,
    /** The token Mindbody saw on the last call to `path`. */
    lastToken: (path = '/public/v6/staff/staff') =>
      stage.standIn.seen
        .filter((r) => r.decoded === path)
        .at(-1)
        ?.headers.get('Authorization'),
  })
}
