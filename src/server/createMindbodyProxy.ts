import { parseToken } from '../core/parseToken'
import { expiresAt } from '../core/expiresAt'
import { renewedToken } from '../core/renewedToken'
import { MindbodyError } from '../core/MindbodyError'
import { isHeaderValue } from '../core/validate'
import { memoryLimitStore, type LimitStore } from './memoryLimitStore'
import { isHostilePath, passesCsrfCheck, readBody } from './requestChecks'
import { cookieName, createSessionSealer, readCookie, setCookie, type SealedSession } from './sessionCookie'
import type { IssueResponse } from '../core/types'

/**
 * Options of `createMindbodyProxy`.
 *
 * @example
 * const options: MindbodyProxyOptions = {
 *   apiKey: process.env.MINDBODY_API_KEY!,
 *   secret: process.env.SESSION_SECRET!,
 *   siteIds: [-99],
 * }
 */
export interface MindbodyProxyOptions {
  /** Your Mindbody API key: added as `Api-Key` to every upstream call, never sent to the browser. */
  apiKey: string
  /** At least 32 characters; or several, newest first: the first seals, all open (for rotation). */
  secret: string | string[]
  /** The sites this proxy serves; a request for any other gets 403 and nothing is sent. */
  siteIds: Array<string | number>
  /** Where the handler is mounted. Default `'/mindbody'`. */
  basePath?: string
  /** Mindbody's origin. Default `'https://api.mindbodyonline.com'`. No request can change it. */
  upstream?: string
  /** Which other endpoints may be forwarded (`path` is below `basePath`). Default: GET and POST under `/public/v6/`. */
  allow?: (method: string, path: string) => boolean
  /** The cookie's `Secure` flag. Default true; false only for `http://localhost`. */
  secure?: boolean
  /** Failed sign-ins allowed per username and site in a window. Default 5 per 15 minutes. */
  signInLimit?: { max: number; windowMs: number }
  /** The client's IP, to also limit sign-ins per IP (20 per window). Default: no IP limit. */
  clientIp?: (request: Request) => string | undefined
  /** Where attempts are counted. Default: this process's memory. */
  limitStore?: LimitStore
  /** The fetch for upstream calls. Default: the global `fetch`. */
  fetch?: typeof fetch
}

/**
 * The handler `createMindbodyProxy` returns: a web-standard `(request) => Promise<Response>`, and the
 * `basePath` it answers under.
 *
 * @example
 * const proxy: MindbodyProxy = createMindbodyProxy(options)
 * export const GET = proxy, POST = proxy, DELETE = proxy
 */
export type MindbodyProxy = ((request: Request) => Promise<Response>) & { readonly basePath: string }

const DAY = 24 * 60 * 60 * 1000
const TOKEN_BODY_LIMIT = 64 * 1024
const BODY_LIMIT = 1024 * 1024
const IP_LIMIT = 20
const TOKEN_ROUTE = /^\/public\/v([1-9]\d{0,3})\/usertoken\/(issue|renew|revoke)$/i
/** Hop-by-hop headers, and upstream cookies: never passed on. */
const DROPPED = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'content-encoding',
  'content-length',
]

/**
 * Where an answer's `Set-Cookie` can also be read. A browser drops `Set-Cookie` from any Response a
 * script builds, so a harness that runs the proxy inside a page (the offline demo) reads it here.
 */
export const SET_COOKIE = Symbol.for('react-mindbody-user-token.set-cookie')

/** Adds the session cookie's `Set-Cookie` to an answer. */
const withCookie = (response: Response, setCookie: string) => {
  response.headers.append('Set-Cookie', setCookie)
  return Object.assign(response, { [SET_COOKIE]: setCookie })
}
const json = (body: unknown, status = 200, headers?: HeadersInit) => {
  const response = Response.json(body, { status, headers })
  response.headers.set('Cache-Control', 'no-store')
  return response
}
const refuse = (status: number, Message: string, Code: string, headers?: HeadersInit) =>
  json({ Error: { Message, Code } }, status, headers)
/** What the browser sees of a token: everything but `AccessToken`. */
const visible = ({ TokenType, Expires, User }: IssueResponse) => ({ TokenType, Expires, User })
const sha256 = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')

/**
 * A backend-for-frontend for Mindbody staff sign-in, as a web-standard handler for Next.js route
 * handlers, React Router and Remix actions, Hono, Cloudflare Workers, Deno, Bun and Node 20.19+ (through
 * `toNodeHandler`). It holds the API key and keeps the staff token in a sealed HttpOnly cookie, so no
 * page script ever sees either; `<MindbodyProvider session="server">` talks to it.
 *
 * @example
 * // app/mindbody/[...path]/route.ts
 * const proxy = createMindbodyProxy({ apiKey: process.env.MINDBODY_API_KEY!, secret: process.env.SESSION_SECRET!, siteIds: [-99] })
 * export { proxy as GET, proxy as POST, proxy as DELETE }
 */
export function createMindbodyProxy(options: MindbodyProxyOptions): MindbodyProxy {
  if (typeof crypto === 'undefined' || !crypto.subtle)
    throw new MindbodyError(
      'invalid-input',
      'createMindbodyProxy needs the Web Crypto API (crypto.subtle): run it on Node 20.19 or newer, or another runtime that has it',
    )
  const { apiKey, siteIds, secure = true } = options
  // Looked up at each call, so a fetch instrumented or polyfilled after start-up is the one used.
  const send: typeof fetch = (input, init) => (options.fetch ?? fetch)(input, init)
  const basePath = (options.basePath ?? '/mindbody').replace(/\/+$/, '')
  const upstream = new URL(options.upstream ?? 'https://api.mindbodyonline.com').origin
  const allow =
    options.allow ?? ((method, path) => /^(GET|POST)$/.test(method) && path.startsWith('/public/v6/'))
  const { max, windowMs } = options.signInLimit ?? { max: 5, windowMs: 15 * 60_000 }
  const limits = options.limitStore ?? memoryLimitStore()
  const sealer = createSessionSealer(options.secret)
  const sites = new Set(siteIds.map(String))
  if (!isHeaderValue(apiKey)) throw new TypeError('createMindbodyProxy: apiKey must be a header-safe string')

  const upstreamHeaders = (siteId: string, token?: string, contentType?: string | null) => {
    const headers = new Headers({ 'Api-Key': apiKey, SiteId: siteId, Accept: 'application/json' })
    if (token) headers.set('Authorization', token)
    if (contentType) headers.set('Content-Type', contentType)
    return headers
  }
  /** Mindbody's answer, as it came: status, body and content type, with nothing else passed on. */
  const passThrough = async (response: Response) => {
    const out = new Response(await response.arrayBuffer(), { status: response.status })
    out.headers.set('Content-Type', response.headers.get('Content-Type') ?? 'application/json')
    out.headers.set('Cache-Control', 'no-store')
    return out
  }
  const cookiePath = basePath || '/'
  const clear = (siteId: string) => setCookie(cookieName(siteId, secure), '', 0, cookiePath, secure)
  const sealInto = async (session: SealedSession) => {
    const expiry = expiresAt(session)
    const until = expiry !== null && expiry > Date.now() + 60_000 ? expiry : Date.now() + DAY
    const sealed = await sealer.seal(session, until)
    return setCookie(
      cookieName(session.siteId, secure),
      sealed,
      (until - Date.now()) / 1000,
      cookiePath,
      secure,
    )
  }
  const unreachable = () => refuse(502, 'Mindbody could not be reached.', 'BadGateway')

  /** The sealed session of `siteId` in the request's cookie: a value, `null` when there is none, `false` when bad. */
  const sessionOf = async (request: Request, siteId: string) => {
    const sealed = readCookie(request.headers.get('Cookie'), cookieName(siteId, secure))
    if (!sealed) return null
    const session = await sealer.open(sealed)
    return session && session.siteId === siteId ? session : false
  }
  const signedOut = (siteId: string) =>
    withCookie(refuse(401, 'Not signed in.', 'Unauthorized'), clear(siteId))

  async function issue(request: Request, siteId: string, version: string, previous: SealedSession | null) {
    const body = await readBody(request, TOKEN_BODY_LIMIT)
    if (!body) return refuse(413, 'Request body too large.', 'PayloadTooLarge')
    let credentials: { Username?: unknown; Password?: unknown }
    try {
      credentials = JSON.parse(new TextDecoder().decode(body)) ?? {}
    } catch {
      return refuse(400, 'The body must be JSON: { Username, Password }.', 'InvalidParameter')
    }
    const { Username, Password } = credentials
    if (typeof Username !== 'string' || typeof Password !== 'string' || !Username.trim())
      return refuse(400, 'Username and Password are required.', 'InvalidParameter')

    const userKey = `signin:${siteId}:${await sha256(Username.trim().toLowerCase())}`
    const ip = options.clientIp?.(request)
    const retryAfter = { 'Retry-After': String(Math.ceil(windowMs / 1000)) }
    const tooMany = () =>
      refuse(429, 'Too many sign-in attempts. Try again later.', 'TooManyRequests', retryAfter)
    try {
      if ((await limits.hit(userKey, windowMs)) > max) return tooMany()
      if (ip && (await limits.hit(`signin-ip:${await sha256(ip)}`, windowMs)) > IP_LIMIT) return tooMany()
    } catch {
      // A store that cannot count fails closed: nothing is sent, so nothing can be guessed.
      return refuse(503, 'Sign-in is unavailable for a moment. Try again later.', 'ServiceUnavailable', {
        'Retry-After': '30',
      })
    }

    let response: Response
    try {
      response = await send(`${upstream}/public/v${version}/usertoken/issue`, {
        method: 'POST',
        headers: upstreamHeaders(siteId, undefined, 'application/json'),
        body: JSON.stringify({ Username, Password }),
        redirect: 'manual',
      })
    } catch {
      return unreachable()
    }
    if (!response.ok) return passThrough(response)
    let token: IssueResponse
    try {
      token = parseToken(await response.json())
    } catch {
      return refuse(502, 'Mindbody sent an answer that is not a token.', 'BadGateway')
    }
    await limits.reset?.(userKey).catch(() => undefined)
    // One session per site: the token this cookie replaces is revoked, not left alive upstream.
    if (previous && previous.AccessToken !== token.AccessToken)
      await send(`${upstream}/public/v${previous.version}/usertoken/revoke`, {
        method: 'DELETE',
        headers: upstreamHeaders(siteId, previous.AccessToken),
        redirect: 'manual',
      }).catch(() => undefined)
    const cookie = await sealInto({ ...token, siteId, version })
    return withCookie(json(visible(token)), cookie)
  }

  async function renew(session: SealedSession, siteId: string, version: string) {
    let response: Response
    try {
      response = await send(`${upstream}/public/v${version}/usertoken/renew`, {
        method: 'POST',
        headers: upstreamHeaders(siteId, session.AccessToken),
        redirect: 'manual',
      })
    } catch {
      return unreachable()
    }
    if (response.status === 401) return withCookie(await passThrough(response), clear(siteId))
    if (!response.ok) return passThrough(response)
    const text = await response.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    const renewed = renewedToken(session, body)
    return withCookie(json(visible(renewed)), await sealInto({ ...renewed, siteId, version }))
  }

  async function revoke(session: SealedSession | null, siteId: string, version: string) {
    const cleared = clear(siteId)
    if (!session)
      return withCookie(
        new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } }),
        cleared,
      )
    try {
      const response = await send(`${upstream}/public/v${version}/usertoken/revoke`, {
        method: 'DELETE',
        headers: upstreamHeaders(siteId, session.AccessToken),
        redirect: 'manual',
      })
      return withCookie(await passThrough(response), cleared)
    } catch {
      return withCookie(refuse(502, 'Mindbody could not be reached.', 'BadGateway'), cleared)
    }
  }

  async function forward(
    request: Request,
    url: URL,
    path: string,
    siteId: string,
    session: SealedSession | null,
  ) {
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? null : await readBody(request, BODY_LIMIT)
    if (body === null && request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(413, 'Request body too large.', 'PayloadTooLarge')
    let response: Response
    try {
      response = await send(new URL(path + url.search, upstream), {
        method: request.method,
        headers: upstreamHeaders(siteId, session?.AccessToken, request.headers.get('Content-Type')),
        body,
        redirect: 'manual',
        signal: request.signal,
      })
    } catch {
      return unreachable()
    }
    const headers = new Headers(response.headers)
    for (const name of DROPPED) headers.delete(name)
    const answer = new Response(response.body, { status: response.status, headers })
    return response.status === 401 && session ? withCookie(answer, clear(siteId)) : answer
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (!url.pathname.startsWith(basePath + '/')) return refuse(404, 'Not found.', 'NotFound')
    if (isHostilePath(url.pathname)) return refuse(400, 'Invalid path.', 'InvalidParameter')
    const path = url.pathname.slice(basePath.length)
    if (!passesCsrfCheck(request, url)) return refuse(403, 'Cross-site request refused.', 'Forbidden')
    const siteId = request.headers.get('SiteId') ?? ''
    if (!/^-?\d{1,10}$/.test(siteId)) return refuse(400, 'SiteId header is required.', 'InvalidParameter')
    if (!sites.has(siteId)) return refuse(403, 'This proxy does not serve that site.', 'Forbidden')

    const session = await sessionOf(request, siteId)
    if (path === '/session') {
      if (request.method !== 'GET') return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
      return session ? json(visible(session)) : signedOut(siteId)
    }
    const route = TOKEN_ROUTE.exec(path)
    if (route) {
      const version = route[1]!
      const name = route[2]!.toLowerCase()
      if (request.method !== (name === 'revoke' ? 'DELETE' : 'POST'))
        return refuse(405, 'Method not allowed.', 'MethodNotAllowed')
      if (name === 'issue') return issue(request, siteId, version, session || null)
      if (session === false) return signedOut(siteId)
      if (name === 'revoke') return revoke(session, siteId, version)
      return session ? renew(session, siteId, version) : signedOut(siteId)
    }
    // Token calls go only through the routes above, which seal and limit them.
    if (/usertoken/i.test(path) || !allow(request.method, path)) return refuse(404, 'Not found.', 'NotFound')
    if (session === false) return signedOut(siteId)
    return forward(request, url, path, siteId, session)
  }

  return Object.assign(handle, { basePath })
}
