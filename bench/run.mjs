// npm run bench: one run on this machine, printed as markdown tables for the README. With --proxy, only the
// proxy against the forwarders (about three minutes).
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { bundleSizes } from './sizes.mjs'
import { FORWARDERS, forwardingUnderLoad, median, signInWithRedis } from './proxy.mjs'
import { heapGrowth, rendersPerChange, signInLatency, startServer } from './runtime.mjs'

if (typeof globalThis.gc !== 'function') throw new Error('Run with node --expose-gc (npm run bench does).')
const fmt = (n, digits = 2) => n.toFixed(digits)
const cpu = cpus()[0]?.model ?? 'unknown CPU'
const command = process.argv.includes('--proxy') ? 'npm run bench -- --proxy' : 'npm run bench'
console.log(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, with \`${command}\`.\n`,
)

/** The machine's CPU time so far, and the part a hypervisor gave to others (Linux only). */
function steal() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 }
  } catch {
    return undefined
  }
}
/** A sentence on the CPU time stolen since `before`, when the machine says. */
function stealOf(before) {
  const after = steal()
  if (!before || !after) return ''
  const share = (after.steal - before.steal) / (after.total - before.total)
  return `The hypervisor took ${fmt(share * 100, 1)} % of the machine's CPU time during the rounds (steal, /proc/stat). `
}

/** The proxy against the forwarders, printed as its own table. */
async function printForwarding() {
  // BENCH_ROUNDS and BENCH_SECONDS shorten a run while you work; the figures in the docs use the defaults.
  const stealBefore = steal()
  const proxy = await forwardingUnderLoad({
    rounds: Number(process.env.BENCH_ROUNDS) || 5,
    seconds: Number(process.env.BENCH_SECONDS) || 8,
  })
  const spread = (values, digits = 2, sign = false) => {
    const show = (n) => (sign && n >= 0 ? '+' : '') + fmt(n, digits).replace('-', '−')
    return `${show(median(values))} (${show(Math.min(...values))} to ${show(Math.max(...values))})`
  }
  console.log(
    `**The /server proxy against a bare forwarder**: \`GET /public/v6/staff/staff\` to the loopback stand-in, autocannon with 10 connections, each server in its own process, ${proxy.rounds} rounds of ${proxy.seconds} s with the variants in turn. Figures are medians over the rounds; each ratio is taken against the bare forwarder of the same round, then the median and the range of those are shown. CPU is the forwarder's own process. ${stealOf(stealBefore)}The proxy's heap after GC: ${fmt(proxy.heapAfterMiB, 1)} MiB after the rounds, ${proxy.heapGrowthMiB < 0 ? '−' : '+'}${fmt(Math.abs(proxy.heapGrowthMiB), 2)} MiB against after the warm-up.\n`,
  )
  console.log(
    '| forwarder | requests/s | ÷ bare | p50 / p99 | p99 − bare | CPU per request | ÷ bare |\n| --- | --- | --- | --- | --- | --- | --- |',
  )
  for (const v of proxy.variants) {
    const row = [
      FORWARDERS.find(([role]) => role === v.role)[1],
      `${fmt(v.rps, 0)}/s`,
      spread(v.rpsRatios),
      `${fmt(v.p50, 1)} / ${fmt(v.p99, 1)} ms`,
      `${spread(v.p99Deltas, 1, true)} ms`,
      `${fmt(v.cpu, 0)} µs`,
      spread(v.cpuRatios),
    ]
    console.log(`| ${row.join(' | ')} |`)
  }
}
if (command !== 'npm run bench') {
  await printForwarding()
  process.exit()
}

const { server, baseURL } = await startServer()
const latency = await signInLatency(baseURL)
const renders = []
for (const n of [1, 100, 1000]) renders.push([n, await rendersPerChange(baseURL, n)])
const heap = await heapGrowth(baseURL)
const sizes = await bundleSizes()
server.close()
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
  ['**The /server proxy** (forwarding: the second table)', '', ''],
  [
    `sign-in latency with \`redisLimitStore\` (loopback redis-server), p50 / p99, ${redis.requests.toLocaleString('en')} sign-ins`,
    `${redis.redis.p50} ms / ${redis.redis.p99} ms`,
    `in memory: ${redis.memory.p50} / ${redis.memory.p99} ms; Redis adds ${redis.redis.p50 - redis.memory.p50} / ${redis.redis.p99 - redis.memory.p99} ms`,
  ],
  ['**Bundle size**, min+gzip, esbuild, peers external', '', ''],
  ...sizes.map(([what, bytes, note]) => [what, `${bytes} B`, note]),
]
console.log('| measure | result | compared |\n| --- | --- | --- |')
for (const row of rows) console.log(`| ${row.join(' | ')} |`)
console.log()
await printForwarding()
