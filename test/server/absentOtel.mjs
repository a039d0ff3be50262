// Run by telemetry.test.ts, bundled with the proxy into a folder with no node_modules: the proxy with
// events and the meter on, and @opentelemetry/api nowhere to be found. Prints one JSON line.
import { createServer } from 'node:http'
import { createMindbodyProxy, toNodeHandler } from '../../src/server/index.ts'

const [upstream] = process.argv.slice(2)
// Spelt so that nothing in the bundle names the package.
const name = ['@open', 'telemetry/api'].join('')
let absent = false
try {
  await import(name)
} catch {
  absent = true
}
const events = []
const proxy = createMindbodyProxy({
  apiKey: 'absent-key',
  secret: 'a-secret-for-the-run-without-the-package',
  siteIds: [-99],
  upstream,
  secure: false,
  meter: true,
  onEvent: (event) => void events.push(event.type),
})
const server = createServer(toNodeHandler(proxy))
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${server.address().port}`
const headers = { 'X-Mindbody-Proxy': '1', Origin: origin, SiteId: '-99', 'Content-Type': 'application/json' }
const signIn = await fetch(`${origin}/mindbody/public/v6/usertoken/issue`, {
  method: 'POST',
  headers,
  body: JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' }),
})
const cookie = signIn.headers.getSetCookie()[0].split(';')[0]
const staff = await fetch(`${origin}/mindbody/public/v6/staff/staff`, {
  headers: { ...headers, Cookie: cookie },
})
const today = new Date()
const { calls } = await proxy.usage({ siteId: -99, from: today, to: today })
console.log(JSON.stringify({ absent, signIn: signIn.status, staff: staff.status, events, calls }))
server.close()
