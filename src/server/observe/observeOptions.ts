/** An attribute's value, as OpenTelemetry takes it. */
type AttributeValue = string | number | boolean

/** The parts of an OpenTelemetry span the proxy uses. */
interface OtelSpan {
  setAttribute(key: string, value: AttributeValue): unknown
  setStatus(status: { code: number; message?: string }): unknown
  updateName(name: string): unknown
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
  trace: {
    getTracer(
      name: string,
      version?: string,
    ): {
      startSpan(
        name: string,
        options?: { kind?: number; attributes?: Record<string, AttributeValue> },
        context?: object,
      ): OtelSpan
    }
    setSpan(context: object, span: OtelSpan): object
  }
  context: { active(): object }
  /** Counters, when given. */
  metrics?: {
    getMeter(
      name: string,
      version?: string,
    ): {
      createCounter(
        name: string,
        options?: { description?: string; unit?: string },
      ): { add(value: number, attributes?: Record<string, AttributeValue>): void }
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
