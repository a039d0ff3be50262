// A server for the proxy benchmark, in its own process so the load tool never shares its thread.
// `stand-in`: a loopback Mindbody answering sign-in and the staff list. `proxy <upstream> [redis-url]`:
// the built /server proxy in front of it, counting sign-ins in memory or in Redis. Each prints its port over IPC, and answers 'heap' with its heap after GC.
import { createServer } from 'node:http'

const [role, upstream] = process.argv.slice(2)
const STAFF = JSON.stringify({ StaffMembers: [{ Id: 1, FirstName: 'Ada', LastName: 'Lovelace' }] })

let handler
if (role === 'stand-in') {
  handler = (req, res) => {
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
} else {
  const { createMindbodyProxy, redisLimitStore, toNodeHandler } = await import('../dist/server.js')
  // `proxy <upstream> [redis-url]`: with a Redis URL, sign-in attempts are counted there.
  const redisUrl = process.argv[4]
  let limitStore
  if (redisUrl) {
    const { default: Redis } = await import('ioredis')
    limitStore = redisLimitStore(new Redis(redisUrl))
  }
  handler = toNodeHandler(
    createMindbodyProxy({
      apiKey: 'bench-key',
      secret: 'a-benchmark-secret-that-is-long-enough',
      siteIds: [-99],
      upstream,
      secure: false,
      signInLimit: { max: 1e9, windowMs: 60_000 },
      limitStore,
    }),
  )
}
const server = createServer(handler)
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
process.on('message', (message) => {
  if (message !== 'heap') return
  globalThis.gc()
  process.send({ heapBytes: process.memoryUsage().heapUsed })
})
