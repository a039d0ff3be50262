import { MindbodyError } from '../../core/MindbodyError'
import { deadline } from '../deadline'
import type { MindbodyProxyOptions } from '../proxyOptions'
import type { LimitStore } from '../stores/types'
import type { UpstreamTap } from '../upstream'
import { createCallMeter } from './callMeter'
import { baseOf } from './eventOf'
import type { ProxyEvent } from './proxyEvents'
import { kindOf, routeTemplate } from './routeTemplate'
import { createTelemetry } from './telemetry'

/** What the observer needs of the proxy's settings. */
interface ObserverSettings {
  limits: LimitStore
  storeTimeoutMs: number
  upstream: string
}

/**
 * The proxy's observer, or `undefined` when `onEvent`, `openTelemetry` and `meter` are all off, so
 * the proxy does nothing more than test for it. `emit` gives `onEvent` each event, within the store
 * deadline, and never fails; `tap` counts and traces each call to Mindbody.
 */
export function createObserver(options: MindbodyProxyOptions, settings: ObserverSettings) {
  const { onEvent, openTelemetry, meter } = options
  if (!onEvent && !openTelemetry && !meter) return undefined
  const { limits, storeTimeoutMs } = settings
  if (meter && !(limits.tally && limits.tallies))
    throw new MindbodyError(
      'invalid-input',
      'Invalid meter: the limitStore has no tally and tallies to count calls in; use memoryLimitStore or redisLimitStore',
    )
  const emit = async (event: ProxyEvent) => {
    if (!onEvent) return
    await deadline(
      Promise.resolve().then(() => onEvent(event)),
      storeTimeoutMs,
      null,
    ).catch(() => undefined)
  }
  const telemetry = openTelemetry && createTelemetry(openTelemetry, settings.upstream)
  const callMeter = !meter
    ? undefined
    : createCallMeter(meter === true ? {} : meter, limits, storeTimeoutMs, async (type, siteId, facts) =>
        emit({ ...(await baseOf(undefined, siteId)), type, ...facts }),
      )
  const tap: UpstreamTap = (path, call, streamed) => {
    const route = routeTemplate(path)
    const facts = {
      method: call.method,
      route,
      siteId: call.siteId,
      kind: streamed ? 'forward' : kindOf(route),
    }
    const counted = callMeter?.count(call.siteId, route, facts.kind, call.userId)
    const span = telemetry?.call(call.watch?.span, facts)
    return async (status, answer) => {
      if (span) telemetry!.endCall(span, facts, status, answer)
      if (status === 429) await callMeter?.rateLimited(call.siteId)
      await counted
    }
  }
  return { emit, telemetry, meter: callMeter, tap, onEvent }
}

/** The proxy's observer. */
export type Observer = NonNullable<ReturnType<typeof createObserver>>
