// The /server proxy under load with autocannon on loopback, against forwarders that do nothing but
// forward: the bare one (node:http and the global fetch) and one on undici.request. Each server runs in
// its own process; the variants take turns, round after round, and each figure is a median of rounds.
import { fork, spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'

const start = (...args) =>
  new Promise((resolve) => {
    const child = fork(new URL('./proxyServer.mjs', import.meta.url), args, { execArgv: ['--expose-gc'] })
    child.once('message', ({ port }) => resolve({ child, url: `http://127.0.0.1:${port}` }))
  })
const ask = (child, message) =>
  new Promise((resolve) => {
    child.once('message', resolve)
    child.send(message)
  })
const load = (url, headers, amount, method = 'GET', body) =>
  autocannon({ url, headers, connections: 10, amount, method, body })
/** The median of `values`. */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Signs in through a proxy, answering its session cookie. */
async function sessionCookie(url) {
  const issued = await fetch(`${url}/mindbody/public/v6/usertoken/issue`, {
    method: 'POST',
    headers: { 'X-Mindbody-Proxy': '1', Origin: url, SiteId: '-99', 'Content-Type': 'application/json' },
    body: JSON.stringify({ Username: 'bench', Password: 'bench-password' }),
  })
  return issued.headers.get('set-cookie').split(';')[0]
}

/** The variants, by the role `proxyServer.mjs` runs, in the order of the table. */
export const FORWARDERS = [
  ['bare', 'the bare `fetch` forwarder (node:http, global `fetch`, headers copied)'],
  ['undici', 'the same, forwarding with `undici.request` and a keep-alive agent'],
  ['proxy', "**this library's proxy through `toNodeHandler`**"],
  ['proxy-fetch', 'the same proxy with `fetch` given (the path of Deno, Bun, workerd)'],
  [
    'proxy-observed',
    'the proxy through `toNodeHandler` with `onEvent`, `openTelemetry` (the SDK, spans and counters recorded) and `meter` on',
  ],
]

/**
 * `GET /public/v6/staff/staff` through each forwarder for `seconds`, the variants in turn for
 * `rounds` rounds: the median of each one's requests/s, p50, p99 and CPU time per request (the
 * forwarder's own process), each round's ratios to the bare forwarder of that round, and the proxy's
 * heap after GC at the end.
 */
export async function forwardingUnderLoad({ rounds = 5, seconds = 8 } = {}) {
  const standIn = await start('stand-in')
  const servers = []
  try {
    for (const [role] of FORWARDERS) servers.push({ role, ...(await start(role, standIn.url)) })
    const path = '/public/v6/staff/staff'
    for (const server of servers) {
      const proxied = server.role.startsWith('proxy')
      server.target = proxied ? `${server.url}/mindbody${path}` : server.url + path
      server.headers = proxied
        ? { SiteId: '-99', Cookie: await sessionCookie(server.url) }
        : { SiteId: '-99', Authorization: 'bench-token', 'Api-Key': 'bench-key' }
      await load(server.target, server.headers, 5_000) // warm-up
      server.runs = []
    }
    const heapBefore = (await ask(servers[2].child, 'heap')).heapBytes
    for (let round = 0; round < rounds; round++) {
      // Each round starts one variant further on, so none always runs first or last.
      for (let i = 0; i < servers.length; i++) {
        const server = servers[(round + i) % servers.length]
        const before = (await ask(server.child, 'cpu')).cpuMicros
        const result = await autocannon({
          url: server.target,
          headers: server.headers,
          connections: 10,
          duration: seconds,
        })
        const after = (await ask(server.child, 'cpu')).cpuMicros
        if (result.non2xx || result.errors)
          throw new Error(`${server.role} got error answers in the benchmark`)
        server.runs.push({
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          cpu: (after - before) / result.requests.total,
        })
      }
    }
    const heapAfter = (await ask(servers[2].child, 'heap')).heapBytes
    const of = (server, key) => median(server.runs.map((run) => run[key]))
    // Against the bare forwarder of the same round, seconds apart, so a machine that slows down for a
    // while slows both sides of each ratio.
    const [bare] = servers
    const paired = (server, key, compare) => server.runs.map((run, i) => compare(run[key], bare.runs[i][key]))
    const divided = (a, b) => a / b
    return {
      rounds,
      seconds,
      variants: servers.map((server) => ({
        role: server.role,
        rps: of(server, 'rps'),
        p50: of(server, 'p50'),
        p99: of(server, 'p99'),
        cpu: of(server, 'cpu'),
        rpsRatios: paired(server, 'rps', divided),
        cpuRatios: paired(server, 'cpu', divided),
        p99Deltas: paired(server, 'p99', (a, b) => a - b),
      })),
      heapAfterMiB: heapAfter / 2 ** 20,
      heapGrowthMiB: (heapAfter - heapBefore) / 2 ** 20,
    }
  } finally {
    for (const { child } of [standIn, ...servers]) child.kill()
  }
}

/**
 * The latency a shared Redis store adds to a sign-in, against the in-memory store: `requests`
 * successful sign-ins through each, on loopback, with Debian's redis-server.
 */
export async function signInWithRedis(requests = 5_000) {
  const port = 6390 + Math.floor(Math.random() * 500)
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  )
  await sleep(300)
  const standIn = await start('stand-in')
  const inMemory = await start('proxy', standIn.url)
  const inRedis = await start('proxy', standIn.url, `redis://127.0.0.1:${port}`)
  const signIn = async (proxy) => {
    const url = `${proxy.url}/mindbody/public/v6/usertoken/issue`
    const headers = {
      'X-Mindbody-Proxy': '1',
      Origin: proxy.url,
      SiteId: '-99',
      'Content-Type': 'application/json',
    }
    const body = JSON.stringify({ Username: 'bench', Password: 'bench-password' })
    await load(url, headers, 500, 'POST', body)
    const result = await load(url, headers, requests, 'POST', body)
    if (result.non2xx)
      throw new Error(`the sign-in benchmark got error answers: ${JSON.stringify(result.statusCodeStats)}`)
    return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average }
  }
  try {
    return { requests, memory: await signIn(inMemory), redis: await signIn(inRedis) }
  } finally {
    for (const { child } of [standIn, inMemory, inRedis]) child.kill()
    redis.kill()
  }
}
