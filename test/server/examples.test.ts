import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECRET } from './startProxy'
import { startStandIn } from './standIn'

/**
 * The guides' production examples (docs/production.md, docs/nextjs.md) are these files, word for word, and each one runs here: the
 * Next.js route handler called as Next calls it, the Express app and the Vite dev server over real
 * sockets, all in front of the loopback Mindbody stand-in.
 */
const file = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../examples/${name}`, import.meta.url)), 'utf8')
const guides = ['production.md', 'nextjs.md']
  .map((name) => readFileSync(fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)), 'utf8'))
  .join('\n')
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })

let standIn: Awaited<ReturnType<typeof startStandIn>>
beforeAll(async () => {
  standIn = await startStandIn()
  process.env.MINDBODY_API_KEY = 'the-api-key'
  process.env.MINDBODY_SESSION_SECRET = SECRET
  process.env.MINDBODY_UPSTREAM = standIn.url
  process.env.NEXT_PUBLIC_MINDBODY_SITE_ID = '-99'
  process.env.APP_ORIGIN = 'https://portal.example'
})
afterAll(() => standIn.close())

/** Signs in and reads the session back, as the browser would, against `origin`, from `app`. */
async function signInAt(
  origin: string,
  request: (url: string, init: RequestInit) => Promise<Response>,
  app = origin,
) {
  const headers = {
    'X-Mindbody-Proxy': '1',
    Origin: app,
    SiteId: '-99',
    'Content-Type': 'application/json',
  }
  const issued = await request(`${origin}/mindbody/public/v6/usertoken/issue`, {
    method: 'POST',
    headers,
    body: STAFF,
  })
  expect(issued.status).toBe(200)
  const cookie = issued.headers.get('Set-Cookie')!.split(';')[0]!
  const session = await request(`${origin}/mindbody/session`, { headers: { SiteId: '-99', Cookie: cookie } })
  expect(await session.json()).toMatchObject({ User: { FirstName: 'Ada' } })
}

describe("the guides' production examples", () => {
  it.each(['next-route.ts', 'express.ts', 'vite.config.ts', 'vite.mock.config.ts'])(
    'shows %s exactly as tested',
    (name) => {
      expect(guides).toContain('```ts\n' + file(name) + '```')
    },
  )

  it('Next.js: the route handler answers as Next calls it', async () => {
    process.env.MINDBODY_UPSTREAM = standIn.url
    const route = await import('../examples/next-route')
    // The example keeps Mindbody's real origin; here the stand-in answers for it.
    const toStandIn = (url: string, init: RequestInit) => {
      const request = new Request(url, init)
      return request.method === 'GET' ? route.GET(request) : route.POST(request)
    }
    const realFetch = globalThis.fetch
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      realFetch(String(input).replace('https://api.mindbodyonline.com', standIn.url), init)) as typeof fetch
    try {
      await signInAt('https://portal.example', toStandIn)
    } finally {
      globalThis.fetch = realFetch
    }
  })

  it('Express: the app signs in through the proxy over real sockets', async () => {
    const { default: app } = await import('../examples/express')
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      await signInAt(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        fetch,
        process.env.APP_ORIGIN,
      )
    } finally {
      server.close()
    }
  })

  it("Vite: the dev server's middleware signs in over real sockets", async () => {
    const { createServer } = await import('vite')
    // The example names no upstream, so Mindbody itself is answered at the network boundary, by
    // the stand-in's own mock: toNodeHandler calls it with Node's HTTP client, not fetch.
    const realFetch = globalThis.fetch
    const mindbody = setupServer(...standIn.mindbody.handlers)
    mindbody.listen({ onUnhandledRequest: 'bypass' })
    // Loaded through Vitest, which resolves the package to src/, so no build is needed first.
    const { default: config } = await import('../examples/vite.config')
    const env = { command: 'serve', mode: 'development' } as const
    const vite = await createServer({
      ...(typeof config === 'function' ? await config(env) : config),
      configFile: false,
      root: fileURLToPath(new URL('../examples', import.meta.url)),
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'silent',
      envDir: fileURLToPath(new URL('../examples', import.meta.url)),
    })
    try {
      await vite.listen()
      const { port } = vite.httpServer!.address() as AddressInfo
      await signInAt(`http://127.0.0.1:${port}`, realFetch)
    } finally {
      mindbody.close()
      await vite.close()
    }
  })

  it('Vite against the mock: the proxy in front of serveMockMindbody signs in, forwards and signs out', async () => {
    const { createServer } = await import('vite')
    const { default: config } = await import('../examples/vite.mock.config')
    const vite = await createServer({
      ...config,
      configFile: false,
      root: fileURLToPath(new URL('../examples', import.meta.url)),
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'silent',
    })
    try {
      await vite.listen()
      const origin = `http://127.0.0.1:${(vite.httpServer!.address() as AddressInfo).port}`
      const headers = { 'X-Mindbody-Proxy': '1', Origin: origin, SiteId: '-99' }
      const issued = await fetch(`${origin}/mindbody/public/v6/usertoken/issue`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: STAFF,
      })
      expect(issued.status).toBe(200)
      expect(await issued.json()).toMatchObject({ User: { FirstName: 'Ada' } })
      const cookie = issued.headers.get('Set-Cookie')!.split(';')[0]!
      // One of the mock's reads, forwarded with the token the cookie seals.
      const forwarded = await fetch(`${origin}/mindbody/public/v6/class/classes`, {
        headers: { ...headers, Cookie: cookie },
      })
      expect(forwarded.status).toBe(200)
      expect((await forwarded.json()).Classes).toHaveLength(3)
      const revoked = await fetch(`${origin}/mindbody/public/v6/usertoken/revoke`, {
        method: 'DELETE',
        headers: { ...headers, Cookie: cookie },
      })
      // 200: the mock knew the token the proxy sealed; it answers 401 to any other.
      expect(revoked.status).toBe(200)
    } finally {
      await vite.close()
    }
  })
})
