// A server for the proxy benchmark, in its own process so the load tool never shares its thread.
// Roles:
//   stand-in                    a loopback Mindbody answering sign-in and the staff list
//   bare <upstream>             the floor: node:http forwarding with the global fetch, headers copied
//   undici <upstream>           the same, forwarding with undici.request and a keep-alive agent
//   proxy <upstream> [redis]    the built /server proxy through toNodeHandler (sign-ins counted in Redis when given)
//   proxy-fetch <upstream>      the same proxy with `fetch` given, as it runs on every other runtime
//   proxy-observed <upstream>   the proxy with onEvent, OpenTelemetry (the SDK, recording) and the meter on
// Each prints its port over IPC, and answers 'heap' (its heap after GC) and 'cpu' (its CPU time so far, µs).
import { createServer } from 'node:http'

const [role, upstream] = process.argv.slice(2)
const STAFF = JSON.stringify({ StaffMembers: [{ Id: 1, FirstName: 'Ada', LastName: 'Lovelace' }] })
// What a forwarder never passes on: hop-by-hop headers, and what fetch has already decoded.
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding'])

/**
 * Events, OpenTelemetry and the meter, as an app in production has them: the SDK registered, every
 * span recorded and handed to an exporter that drops it, counters read once a minute.
 */
async function observing() {
  const api = await import('@opentelemetry/api')
  const { BasicTracerProvider, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base')
  const { MeterProvider, PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics')
  const dropped = { export: (_, done) => done({ code: 0 }), shutdown: async () => {} }
  api.trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(dropped)] }),
  )
  const reader = new PeriodicExportingMetricReader({ exporter: dropped, exportIntervalMillis: 60_000 })
  api.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
  return { onEvent: () => {}, openTelemetry: api, meter: true }
}

async function handlerFor(role) {
  if (role === 'stand-in')
    return (req, res) => {
      req.resume()
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json')
        if (req.url.endsWith('/usertoken/issue'))
          return res.end(
            JSON.stringify({
              AccessToken: 'bench-token',
              Expires: new Date(Date.now() + 864e5).toISOString(),
              User: { Id: 1, FirstName: 'Ada', Type: 'Staff' },
            }),
          )
        res.end(STAFF)
      })
    }
  if (role === 'bare')
    return async (req, res) => {
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers))
        if (!HOP.has(name) && name !== 'host') headers.set(name, value)
      const answer = await fetch(upstream + req.url, { method: req.method, headers })
      answer.headers.forEach((value, name) => HOP.has(name) || res.setHeader(name, value))
      res.writeHead(answer.status)
      res.end(Buffer.from(await answer.arrayBuffer()))
    }
  if (role === 'undici') {
    const { Agent, request } = await import('undici')
    const dispatcher = new Agent({ keepAliveTimeout: 60_000 })
    return async (req, res) => {
      const headers = {}
      for (const [name, value] of Object.entries(req.headers))
        if (!HOP.has(name) && name !== 'host') headers[name] = value
      const answer = await request(upstream + req.url, { method: req.method, headers, dispatcher })
      for (const [name, value] of Object.entries(answer.headers))
        if (!HOP.has(name)) res.setHeader(name, value)
      res.writeHead(answer.statusCode)
      answer.body.pipe(res)
    }
  }
  const { createMindbodyProxy, redisLimitStore, toNodeHandler } = await import('../dist/server.js')
  const redisUrl = process.argv[4]
  let limitStore
  if (redisUrl) {
    const { default: Redis } = await import('ioredis')
    limitStore = redisLimitStore(new Redis(redisUrl))
  }
  const observed = role === 'proxy-observed' && (await observing())
  return toNodeHandler(
    createMindbodyProxy({
      ...observed,
      apiKey: 'bench-key',
      secret: 'a-benchmark-secret-that-is-long-enough',
      siteIds: [-99],
      upstream,
      secure: false,
      signInLimit: { max: 1e9, windowMs: 60_000 },
      limitStore,
      // Given a fetch, the proxy uses it on Node too: the path every other runtime takes.
      ...(role === 'proxy-fetch' && { fetch: (input, init) => fetch(input, init) }),
    }),
  )
}

const server = createServer(await handlerFor(role))
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
process.on('message', (message) => {
  if (message === 'heap') {
    globalThis.gc()
    process.send({ heapBytes: process.memoryUsage().heapUsed })
  }
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage()
    process.send({ cpuMicros: user + system })
  }
})
// Exits cleanly, so a server started with `--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit())
