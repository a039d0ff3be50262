// The /server proxy under load with autocannon on loopback: requests per second through the proxy
// against straight to the stand-in, the latency it adds, and its heap after 100 000 requests.
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

/** Runs the measurement; `requests` per side (100 000 for the README figure). */
export async function proxyUnderLoad(requests = 100_000) {
  const standIn = await start('stand-in')
  const proxy = await start('proxy', standIn.url)
  try {
    const issued = await fetch(`${proxy.url}/mindbody/public/v6/usertoken/issue`, {
      method: 'POST',
      headers: {
        'X-Mindbody-Proxy': '1',
        Origin: proxy.url,
        SiteId: '-99',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ Username: 'bench', Password: 'bench-password' }),
    })
    const cookie = issued.headers.get('set-cookie').split(';')[0]
    const path = '/public/v6/staff/staff'
    // Warm both up, then measure.
    await load(standIn.url + path, { SiteId: '-99', Authorization: 'bench-token' }, 5_000)
    await load(`${proxy.url}/mindbody${path}`, { SiteId: '-99', Cookie: cookie }, 5_000)
    const heapBefore = (await ask(proxy.child, 'heap')).heapBytes
    const direct = await load(standIn.url + path, { SiteId: '-99', Authorization: 'bench-token' }, requests)
    const proxied = await load(`${proxy.url}/mindbody${path}`, { SiteId: '-99', Cookie: cookie }, requests)
    const heapAfter = (await ask(proxy.child, 'heap')).heapBytes
    if (proxied.non2xx || direct.non2xx) throw new Error('the benchmark got error answers')
    return {
      requests,
      direct: { rps: direct.requests.average, p50: direct.latency.p50, p99: direct.latency.p99 },
      proxied: { rps: proxied.requests.average, p50: proxied.latency.p50, p99: proxied.latency.p99 },
      heapAfterMiB: heapAfter / 2 ** 20,
      heapGrowthMiB: (heapAfter - heapBefore) / 2 ** 20,
    }
  } finally {
    proxy.child.kill()
    standIn.child.kill()
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
