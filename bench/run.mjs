// npm run bench: one run on this machine, printed as a markdown table for the README.
import { cpus, totalmem } from 'node:os'
import { bundleSizes } from './sizes.mjs'
import { proxyUnderLoad, signInWithRedis } from './proxy.mjs'
import { heapGrowth, rendersPerChange, signInLatency, startServer } from './runtime.mjs'

if (typeof globalThis.gc !== 'function') throw new Error('Run with node --expose-gc (npm run bench does).')
const { server, baseURL } = await startServer()
const fmt = (n, digits = 2) => n.toFixed(digits)

const latency = await signInLatency(baseURL)
const renders = []
for (const n of [1, 100, 1000]) renders.push([n, await rendersPerChange(baseURL, n)])
const heap = await heapGrowth(baseURL)
const sizes = await bundleSizes()
server.close()
const proxy = await proxyUnderLoad()
const redis = await signInWithRedis()

const rows = [
  ['**Sign-in latency**, median of 300, `mutate()` → subscriber renders the token', '', ''],
  ['this package (`useIssueToken` → `useUserToken`)', `${fmt(latency.library)} ms`, ''],
  [
    'raw `axios.post` + `useState` (the floor)',
    `${fmt(latency.raw)} ms`,
    `this package: ×${fmt(latency.library / latency.raw)}`,
  ],
  [
    'hand-written `useMutation` + `setQueryData`',
    `${fmt(latency.reactQuery)} ms`,
    `this package: ×${fmt(latency.library / latency.reactQuery)}`,
  ],
  ['**Renders per token change**', '', ''],
  ...renders.map(([n, r]) => [
    `${n} \`useUserToken\` subscriber${n > 1 ? 's' : ''}`,
    `${fmt(r.perSubscriber)} per subscriber`,
    `\`useMindbodyConfig\`-only components: ${r.configRenders} renders (target 0)`,
  ]),
  [
    '**Heap growth** after 10 000 sign-in + sign-out cycles, after GC',
    `${fmt(heap.growthKiB, 0)} KiB`,
    `${fmt(heap.seconds, 1)} s for the cycles`,
  ],
  [
    `**The /server proxy**, autocannon, 10 connections, ${proxy.requests.toLocaleString('en')} requests a side, loopback`,
    '',
    '',
  ],
  [
    'requests/s through the proxy (a forwarded GET, cookie opened, upstream fetched)',
    `${fmt(proxy.proxied.rps, 0)}/s`,
    `straight to the stand-in: ${fmt(proxy.direct.rps, 0)}/s; ratio ${fmt(proxy.proxied.rps / proxy.direct.rps)}`,
  ],
  [
    'latency the proxy adds, p50 / p99',
    `${proxy.proxied.p50 - proxy.direct.p50} ms / ${proxy.proxied.p99 - proxy.direct.p99} ms`,
    `through: ${proxy.proxied.p50} / ${proxy.proxied.p99} ms; straight: ${proxy.direct.p50} / ${proxy.direct.p99} ms`,
  ],
  [
    "the proxy's heap after the requests, after GC",
    `${fmt(proxy.heapAfterMiB, 1)} MiB`,
    `${fmt(proxy.heapGrowthMiB, 2)} MiB more than after the warm-up`,
  ],
  [
    `sign-in latency with \`redisLimitStore\` (loopback redis-server), p50 / p99, ${redis.requests.toLocaleString('en')} sign-ins`,
    `${redis.redis.p50} ms / ${redis.redis.p99} ms`,
    `in memory: ${redis.memory.p50} / ${redis.memory.p99} ms; Redis adds ${redis.redis.p50 - redis.memory.p50} / ${redis.redis.p99 - redis.memory.p99} ms`,
  ],
  ['**Bundle size**, min+gzip, esbuild, peers external', '', ''],
  ...sizes.map(([what, bytes, note]) => [what, `${bytes} B`, note]),
]
const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, with \`npm run bench\`.\n`,
)
console.log('| measure | result | compared |\n| --- | --- | --- |')
for (const row of rows) console.log(`| ${row.join(' | ')} |`)
