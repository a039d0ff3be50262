import { canonicalPath } from '../canonicalPath'
import type { ProxyContext } from '../proxyContext'
import type { ClientAddress } from '../proxyOptions'
import { readCall, type ProxyCall } from '../readCall'
import { answerCall } from '../routes/answerCall'
import { ROUTES } from '../routes/routeTable'
import { eventOf } from './eventOf'
import type { Observer } from './observer'
import { OUTCOME, type Noted } from './outcome'
import { routeTemplate } from './routeTemplate'
import type { Watch } from './telemetry'

/**
 * The route a request was answered by, as a template (`canonical` is its canonical path below
 * `basePath`, when it has one); `'/*'` for a path no route of its own took, or that the forwarding
 * row refused, so that a stranger's paths never name a span.
 */
function routeOf(basePath: string, canonical: string | null, refused: boolean) {
  if (canonical === null) return `${basePath}/*`
  const row = ROUTES.find(({ path }) =>
    typeof path === 'string' ? path === canonical : path.test(canonical),
  )
  if (refused && row === ROUTES.at(-1)) return `${basePath}/*`
  return basePath + routeTemplate(canonical)
}

/** Where a request refused before it was read went: its canonical path, and its site when served. */
function readOf(context: ProxyContext, request: Request, target: { path: string }) {
  const canonical = canonicalPath(target.path, context.basePath)
  const siteId = request.headers.get('SiteId')
  return {
    path: canonical ? canonical.slice(context.basePath.length) : null,
    siteId: siteId !== null && context.sites.has(siteId) ? siteId : null,
  }
}

/**
 * A request answered as the proxy answers it (`readCall`, then `answerCall`), watched: a span around
 * it, the Mindbody calls beneath it traced and counted, and the event its answer makes given to
 * `onEvent`, all once the answer is ready and before it is returned.
 */
export async function observed(
  context: ProxyContext,
  observer: Observer,
  request: Request,
  target: { path: string; search: string },
  client?: ClientAddress,
): Promise<Response> {
  const { telemetry, onEvent } = observer
  const watch: Watch = { span: telemetry?.request(request.method) }
  const cached = telemetry && context.remembered(request)
  let call: ProxyCall | Response
  let response: Noted
  try {
    call = await readCall(context, request, target, client)
    if (!(call instanceof Response)) call.watch = watch
    response = call instanceof Response ? call : await answerCall(context, call)
  } catch (error) {
    if (watch.span)
      telemetry!.endRequest(watch.span, request.method, { route: `${context.basePath}/*`, status: 503 })
    throw error
  }
  const outcome = response[OUTCOME]
  const proxied = call instanceof Response ? undefined : call
  const { path, siteId } = proxied ?? readOf(context, request, target)
  const route = routeOf(context.basePath, path, outcome?.type === 'refused')
  const { status } = response
  if (outcome?.type === 'refused') telemetry?.refusal(outcome.check, siteId ?? undefined)
  if (outcome?.type.startsWith('sign-in') && siteId) telemetry?.signIn(siteId, outcome.type)
  if (watch.span) {
    const check = outcome?.type === 'refused' ? outcome.check : undefined
    const code = outcome?.type === 'sign-in-failed' ? outcome.code : undefined
    telemetry!.endRequest(watch.span, request.method, {
      route,
      status,
      siteId: siteId ?? undefined,
      code,
      cached,
      check,
    })
  }
  if (outcome && onEvent) {
    const source = { request, client, clientIp: context.clientIp }
    await observer.emit(
      await eventOf(outcome, source, { siteId, session: proxied?.sealed ?? null, status, route }),
    )
  }
  return response
}
