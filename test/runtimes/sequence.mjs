// What test/runtimes/run.mjs asks of the built /server handler on each runtime: called with web
// Requests, its upstream the runtime's own fetch, against the loopback stand-in at `upstream`.
// Answers what a browser would have seen, the security events, and the calls the meter counted.
import { createMindbodyProxy, memorySessionStore } from '../../dist/server.js'

/** A request to the proxy as the app's own page sends it, from `origin`, with `cookie` when given. */
const pageRequest = (origin, method, path, cookie, body) =>
  new Request(origin + path, {
    method,
    body,
    // As the runtime's server hands a browser's request over: with the Host it sent.
    headers: {
      Host: new URL(origin).host,
      'X-Mindbody-Proxy': '1',
      Origin: origin,
      SiteId: '-99',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(cookie ? { Cookie: cookie } : {}),
    },
  })

export async function exercise(upstream, runtime) {
  const origin = 'http://portal.test'
  const events = []
  const proxy = createMindbodyProxy({
    // Events and the meter on, and shared GETs (on by default), as they must work on every runtime.
    onEvent: (event) => void events.push(event.type),
    meter: true,
    apiKey: 'runtime-key',
    secret: 'a-runtime-secret-that-is-long-enough-0123',
    siteIds: [-99],
    upstream,
    secure: false,
    session: { store: memorySessionStore(), idleTimeoutMs: 60_000 },
  })
  const call = (method, path, cookie, body) => proxy(pageRequest(origin, method, path, cookie, body))
  const issued = await call(
    'POST',
    '/mindbody/public/v6/usertoken/issue',
    undefined,
    JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' }),
  )
  const cookie = issued.headers.get('Set-Cookie').split(';')[0]
  const signIn = await issued.json()
  const lists = []
  for (let i = 0; i < 3; i++)
    lists.push((await call('GET', '/mindbody/public/v6/staff/staff', cookie)).status)
  const staff = await (await call('GET', '/mindbody/public/v6/staff/staff', cookie)).json()
  const signOut = (await call('DELETE', '/mindbody/public/v6/usertoken/revoke', cookie)).status
  const replayed = await call('GET', '/mindbody/public/v6/staff/staff', cookie)
  const today = new Date()
  const { calls } = await proxy.usage({ siteId: -99, from: today, to: today })
  return {
    desk: await atDesk(upstream, origin),
    events,
    calls,
    runtime,
    signIn,
    lists,
    staff,
    signOut,
    replayed: [replayed.status, (await replayed.json()).Error?.Reason],
  }
}

/**
 * A shared desk on the runtime: a sign-in, a PIN (PBKDF2 as the runtime's Web Crypto allows), a lock
 * that refuses a forwarded call, an unlock with a wrong and then the right PIN. Answers the statuses.
 */
async function atDesk(upstream, origin) {
  const proxy = createMindbodyProxy({
    apiKey: 'runtime-key',
    secret: 'a-runtime-secret-that-is-long-enough-0123',
    siteIds: [-99],
    upstream,
    secure: false,
    session: { store: memorySessionStore() },
    desk: {},
  })
  let cookie
  const call = async (method, path, body) => {
    const response = await proxy(pageRequest(origin, method, path, cookie, body && JSON.stringify(body)))
    const set = response.headers.get('Set-Cookie')
    if (set) cookie = set.split(';')[0]
    return response.status
  }
  return [
    await call('POST', '/mindbody/public/v6/usertoken/issue', {
      Username: 'demo.staff',
      Password: 'demo-password',
    }),
    await call('POST', '/mindbody/desk/pin', { Pin: '4821' }),
    await call('POST', '/mindbody/desk/lock'),
    await call('GET', '/mindbody/public/v6/staff/staff'),
    await call('POST', '/mindbody/desk/unlock', { UserId: 7, Pin: '0000' }),
    await call('POST', '/mindbody/desk/unlock', { UserId: 7, Pin: '4821' }),
    await call('GET', '/mindbody/public/v6/staff/staff'),
    await call('POST', '/mindbody/desk/end', {}),
  ]
}
