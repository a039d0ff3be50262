import { MindbodyError } from '../core/MindbodyError'
import { rawTarget } from './canonicalPath'
import { NODE, type NodeSeam } from './node/nodeSeam'
import type { MindbodyUsage, UsageQuery } from './observe/callUsage'
import { observed } from './observe/observed'
import { createProxyContext, type ProxyContext } from './proxyContext'
import { basePathOf } from './proxySettings'
import type { ClientAddress, MindbodyProxyOptions } from './proxyOptions'
import { STORE_DOWN } from './storeDeadline'
import { readCall } from './readCall'
import { refuse } from './responses'
import { answerCall } from './routes/answerCall'
import type { ProxySessions } from './sessionsApi'

/**
 * The handler `createMindbodyProxy` returns: a web-standard `(request) => Promise<Response>`, the
 * `basePath` it answers under, and `sessions`. It never throws. It logs one thing, once: that its
 * options are wrong (naming the option, never a secret), when the first request finds them so.
 *
 * @example
 * const proxy: MindbodyProxy = createMindbodyProxy(options)
 * export const GET = proxy, POST = proxy, DELETE = proxy
 */
export type MindbodyProxy = ((request: Request) => Promise<Response>) & {
  readonly basePath: string
  /**
   * With `session.store`: list and revoke sessions from an admin page or a script. Its first call
   * reads the options, and throws their error at once if they are wrong.
   */
  readonly sessions: ProxySessions
  /**
   * With `meter`: the Mindbody calls the proxy made for a site over some days, counted where every
   * instance sharing its `limitStore` counts. Throws at once without `meter`.
   */
  readonly usage: (query: UsageQuery) => Promise<MindbodyUsage>
}

/**
 * The options, read and checked the first time they are needed: the context, or their error.
 * `preferred` is the fetch `toNodeHandler` prefers, set before or after they are read.
 */
function lazyContext(options: MindbodyProxyOptions, preferred: () => typeof fetch | undefined) {
  let built: ProxyContext | Error | undefined
  return () => {
    if (!built)
      try {
        built = createProxyContext(options, preferred)
      } catch (error) {
        built = error instanceof Error ? error : new Error(String(error))
      }
    return built
  }
}

/**
 * A backend-for-frontend for Mindbody staff sign-in, as a web-standard handler for Next.js route
 * handlers, React Router and Remix actions, Hono, Cloudflare Workers, Deno, Bun and Node 20.19+ (through
 * `toNodeHandler`). It holds the API key and keeps the staff token in a sealed HttpOnly cookie, so no
 * page script ever sees either; `<MindbodyProvider mode="server">` talks to it.
 *
 * It reads and checks its options when the first request under `basePath` comes (or the first call of
 * `proxy.sessions`), not when it is created, so a module that creates it at its top level can be
 * imported, and built by `next build`, with no secret in the environment. When they are wrong (a
 * missing or short `secret`, a missing `apiKey`, an `origins` entry that is not an origin…) every
 * request under `basePath` answers 500 with a Mindbody-style error that names the option, never its
 * value, and the proxy logs the same once with `console.error`. It throws at once only where there is
 * no Web Crypto, which no option can mend.
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
  const basePath = basePathOf(options)
  let preferred: typeof fetch | undefined
  let logged = false
  const context = lazyContext(options, () => preferred)

  async function route(request: Request, client?: ClientAddress): Promise<Response> {
    const target = rawTarget(request.url)
    if (!target.path.startsWith(basePath + '/')) return refuse(404, 'Not found.', 'NotFound')
    const made = context()
    if (made instanceof Error) {
      if (!logged)
        console.error(`react-mindbody-user-token: createMindbodyProxy cannot serve: ${made.message}`)
      logged = true
      return refuse(500, `The Mindbody proxy is misconfigured: ${made.message}`, 'InternalError')
    }
    if (made.observer) return observed(made, made.observer, request, target, client)
    const call = await readCall(made, request, target, client)
    return call instanceof Response ? call : answerCall(made, call)
  }
  const handle = async (request: Request, client?: ClientAddress): Promise<Response> => {
    try {
      return await route(request, client)
    } catch (error) {
      // A session store that cannot answer fails closed: nothing is sent upstream.
      if (error === STORE_DOWN)
        return refuse(503, 'Sessions are unavailable for a moment. Try again later.', 'ServiceUnavailable', {
          'Retry-After': '30',
        })
      return refuse(500, 'The proxy could not answer.', 'InternalError')
    }
  }
  const ready = () => {
    const made = context()
    if (made instanceof Error) throw made
    return made
  }
  const sessions: ProxySessions = {
    list: (filter) => ready().sessions.api.list(filter),
    revoke: (filter) => ready().sessions.api.revoke(filter),
  }
  const usage = (query: UsageQuery) => {
    const { meter } = ready()
    if (!meter) throw new MindbodyError('invalid-input', 'proxy.usage needs the call meter: meter: true')
    return meter.usage(query)
  }
  const node: NodeSeam = { handle, prefer: (upstream) => void (preferred = upstream) }
  return Object.assign((request: Request) => handle(request), { basePath, sessions, usage, [NODE]: node })
}
