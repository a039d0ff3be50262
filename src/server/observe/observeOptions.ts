/**
 * The parts of an OpenTelemetry `Span` the proxy uses.
 *
 * @example
 * const end = (span: OpenTelemetrySpan) => span.end()
 */
export interface OpenTelemetrySpan {
  /** Sets one attribute. */
  setAttribute(key: string, value: string | number | boolean): unknown
  /** Marks the span failed (`code` 2). */
  setStatus(status: { code: number; message?: string }): unknown
  /** Names the span by its route, once it is known. */
  updateName(name: string): unknown
  /** Ends the span. */
  end(): unknown
}

/**
 * What the proxy uses of `@opentelemetry/api`: give it `{ trace, context, metrics }` from the
 * package (or the package itself). Without it the proxy loads nothing of OpenTelemetry.
 *
 * @example
 * import * as api from '@opentelemetry/api'
 * const openTelemetry: OpenTelemetryApi = api // or { trace: api.trace, context: api.context, metrics: api.metrics }
 */
export interface OpenTelemetryApi {
  /** `api.trace`. */
  trace: {
    /** The proxy's tracer, `react-mindbody-user-token`. */
    getTracer(
      name: string,
      version?: string,
    ): {
      /** A span, under `context`'s. */
      startSpan(
        name: string,
        options?: { kind?: number; attributes?: Record<string, string | number | boolean> },
        context?: object,
      ): OpenTelemetrySpan
    }
    /** `context` with `span` as its span: a parent for the Mindbody calls. */
    setSpan(context: object, span: OpenTelemetrySpan): object
  }
  /** `api.context`. */
  context: {
    /** The context a request comes in with: its span is the request span's parent. */
    active(): object
  }
  /** Counters, when given. */
  metrics?: {
    /** The proxy's meter, `react-mindbody-user-token`. */
    getMeter(
      name: string,
      version?: string,
    ): {
      /** One of the proxy's counters. */
      createCounter(
        name: string,
        options?: { description?: string; unit?: string },
      ): {
        /** Counts `value` more, under `attributes`. */
        add(value: number, attributes?: Record<string, string | number | boolean>): void
      }
    }
  }
}

/**
 * A budget of Mindbody calls per site and billing period. Mindbody bills each call past 5 000 a
 * period (not those it answers 429); set `calls` to what you mean to pay for.
 *
 * @example
 * const budget: CallBudget = { calls: { '-99': 5_000 }, warnAt: 0.8, refuse: true, periodStartDay: 1 }
 */
export interface CallBudget {
  /** The calls a period may make: one number for every site, or per site (a site not named has none). */
  calls: number | Record<string, number>
  /** The share of `calls` at which `onEvent` gets a `'budget-warning'`. Default 0.8. */
  warnAt?: number
  /**
   * Past the budget, answer the app's forwarded calls 429 `BudgetExceeded` before Mindbody is called.
   * Sign-ins, renewals, sign-outs and permission reads always go. Default false: only the events.
   */
  refuse?: boolean
  /** The day of the month (1 to 28, UTC) a billing period begins. Default 1. */
  periodStartDay?: number
}

/**
 * Options of the call meter, which counts the proxy's calls to Mindbody in the `limitStore`.
 *
 * @example
 * const meter: CallMeterOptions = { budget: { calls: 5_000, refuse: true } }
 */
export interface CallMeterOptions {
  /** A budget per site and billing period. Default none: the calls are only counted. */
  budget?: CallBudget
}
