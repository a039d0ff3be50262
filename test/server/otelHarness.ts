import { context, metrics, trace } from '@opentelemetry/api'
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { OpenTelemetryApi } from '../../src/server'

/**
 * The real OpenTelemetry SDK, registered globally as an app registers it: every span kept in memory,
 * and the counters read on demand. `openTelemetry` is what the app gives the proxy; `stop` unregisters.
 */
export function startOpenTelemetry() {
  const spans = new InMemorySpanExporter()
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }))
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
  const openTelemetry: OpenTelemetryApi = { trace, context, metrics }
  return {
    openTelemetry,
    spans: () => spans.getFinishedSpans(),
    /** Each counter's points: its attributes and value. */
    async counters() {
      await reader.forceFlush()
      const points: Record<string, Array<{ attributes: Record<string, unknown>; value: unknown }>> = {}
      for (const { scopeMetrics } of exporter.getMetrics())
        for (const { metrics: found } of scopeMetrics)
          for (const metric of found)
            points[metric.descriptor.name] = metric.dataPoints.map(({ attributes, value }) => ({
              attributes,
              value,
            }))
      return points
    },
    async stop() {
      await reader.shutdown()
      trace.disable()
      metrics.disable()
    },
  }
}
