import { readBody } from '../readBody'
import { guarded } from './guarded'
import type { OpenTelemetryApi } from './observeOptions'
import { codeIn } from './routeTemplate'

const SERVER = 1
const CLIENT = 2
const ERROR = 2
const NAME = 'react-mindbody-user-token'

type Span = ReturnType<ReturnType<OpenTelemetryApi['trace']['getTracer']>['startSpan']>

/** What the proxy watches of one request while it is answered: its span, when tracing. */
export interface Watch {
  span?: Span
}

/** What is known of a request at its end, for its span. */
export interface RequestFacts {
  route: string
  status: number
  siteId?: string
  code?: string
  cached?: boolean
  check?: string
}

/** What is known of a call to Mindbody, for its span and its counter. */
export interface CallFacts {
  method: string
  route: string
  siteId: string
  kind: string
}

/** Marks a span failed for a 5xx (a server's own failure, per the HTTP conventions), and ends it. */
function close(span: Span, status: number | null, failedAt = 500) {
  if (status === null || status >= failedAt) {
    span.setAttribute('error.type', status === null ? 'unreachable' : String(status))
    span.setStatus({ code: ERROR })
  }
  span.end()
}

/** Ends a request's span, named by its route, with what is known at its end. */
function endRequest(span: Span, method: string, facts: RequestFacts) {
  span.updateName(`${method} ${facts.route}`)
  span.setAttribute('http.route', facts.route)
  span.setAttribute('http.response.status_code', facts.status)
  if (facts.siteId) span.setAttribute('mindbody.site_id', facts.siteId)
  if (facts.code) span.setAttribute('mindbody.error_code', facts.code)
  if (facts.cached !== undefined) span.setAttribute('mindbody.cookie_cached', facts.cached)
  if (facts.check) span.setAttribute('mindbody.refused_by', facts.check)
  close(span, facts.status)
}

/** The proxy's counters, when the app gave `metrics`. */
function counters(api: OpenTelemetryApi) {
  const meter = api.metrics?.getMeter(NAME)
  const counter = (name: string, description: string, unit: string) =>
    meter?.createCounter(name, { description, unit })
  return {
    calls: counter('mindbody.proxy.upstream.calls', 'Calls the proxy made to Mindbody', '{call}'),
    signIns: counter('mindbody.proxy.sign_ins', 'Sign-ins, by outcome', '{sign-in}'),
    refusals: counter('mindbody.proxy.refusals', 'Calls refused by a check', '{call}'),
  }
}

/**
 * Spans and counters through the app's `@opentelemetry/api`: a server span per request, named by its
 * route, and a client span for each call to Mindbody beneath it, with the HTTP semantic conventions
 * and bounded attributes; counters of Mindbody calls, sign-ins and refusals. None of its methods
 * throws, whatever the app's OpenTelemetry does (`guarded`).
 */
export function createTelemetry(api: OpenTelemetryApi, upstream: string) {
  const tracer = api.trace.getTracer(NAME)
  const { calls, signIns, refusals } = counters(api)
  const { hostname, port, protocol } = new URL(upstream)
  return guarded({
    request: (method: string) =>
      tracer.startSpan(
        method,
        { kind: SERVER, attributes: { 'http.request.method': method } },
        api.context.active(),
      ),
    endRequest,
    call(parent: Span | undefined, { method, route, siteId, kind }: CallFacts) {
      const context = parent ? api.trace.setSpan(api.context.active(), parent) : api.context.active()
      const attributes = {
        'http.request.method': method,
        'server.address': hostname,
        'server.port': Number(port) || (protocol === 'https:' ? 443 : 80),
        'url.template': route,
        'mindbody.site_id': siteId,
        'mindbody.call': kind,
      }
      return tracer.startSpan(`${method} ${route}`, { kind: CLIENT, attributes }, context)
    },
    /** Ends a call's span once its code is known: read from the body, or from a clone of an error's. */
    endCall(span: Span, facts: CallFacts, status: number | null, answer?: Uint8Array | Response | null) {
      const site = {
        'mindbody.site_id': facts.siteId,
        'mindbody.route': facts.route,
        'mindbody.call': facts.kind,
      }
      calls?.add(
        1,
        status === null
          ? { ...site, 'error.type': 'unreachable' }
          : { ...site, 'http.response.status_code': status },
      )
      if (status !== null) span.setAttribute('http.response.status_code', status)
      const done = (code?: string) => {
        if (code) span.setAttribute('mindbody.error_code', code)
        close(span, status, 400)
      }
      if (!(answer instanceof Response) || status === null || status < 400)
        return done(codeIn(answer as Uint8Array))
      void readBody(answer.clone(), 64 * 1024)
        .then(codeIn, () => undefined)
        .then(done)
        .catch(() => undefined)
    },
    signIn: (siteId: string, outcome: string) =>
      signIns?.add(1, { 'mindbody.site_id': siteId, 'mindbody.outcome': outcome }),
    refusal: (check: string, siteId?: string) =>
      refusals?.add(1, { 'mindbody.check': check, ...(siteId && { 'mindbody.site_id': siteId }) }),
  })
}

/** The proxy's spans and counters. */
export type Telemetry = ReturnType<typeof createTelemetry>
