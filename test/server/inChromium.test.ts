import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { http, HttpResponse } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createMindbodyProxy,
  memorySessionStore,
  toNodeHandler,
  type MindbodyProxyOptions,
} from '../../src/server'
import { launchChromium } from './chromium'
import { API_KEY, SECRET } from './startProxy'
import { startStandIn } from './standIn'

/**
 * A real page in Debian's Chromium, signing in through the proxy over real sockets: the token must be
 * nowhere a script can read, and the cookie's flags are read from the browser's own cookie store.
 */
let standIn: Awaited<ReturnType<typeof startStandIn>>
let app: Server
let origin = ''
let browser: Browser
/** The same portal behind a proxy whose cookie may travel in a cross-site iframe. */
let framedApp: Server
/** The portal behind a proxy with a session store, so the test can end sessions on the server. */
let storedApp: Server
let storedOrigin = ''
const store = memorySessionStore()
const sessions = createMindbodyProxy({
  apiKey: API_KEY,
  secret: SECRET,
  siteIds: [-99],
  session: { store },
}).sessions
let framedOrigin = ''
/** The studio's website, another site (127.0.0.1 is not localhost), embedding a portal in an iframe. */
let studio: Server
let studioOrigin = ''

const listen = async (server: Server, host: string) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://${host}:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  standIn = await startStandIn()
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('page/main.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    // The Next test app's portal imports the package by name; here that is the source.
    alias: { 'react-mindbody-user-token': fileURLToPath(new URL('../../src/index.ts', import.meta.url)) },
    logLevel: 'silent',
  })
  const script = bundle.outputFiles[0]!.text
  // secure: true on http://localhost: Chromium treats localhost as a secure origin, so the
  // Secure flag and the __Secure- name are what production gets.
  const portal = (options: Partial<MindbodyProxyOptions> = {}) => {
    const proxy = toNodeHandler(
      createMindbodyProxy({
        apiKey: API_KEY,
        secret: SECRET,
        siteIds: [-99],
        upstream: standIn.url,
        ...options,
      }),
    )
    return createServer((req, res) =>
      proxy(req, res, () => {
        if (req.url === '/main.js') {
          res.writeHead(200, { 'Content-Type': 'text/javascript' })
          return void res.end(script)
        }
        res.writeHead(200, { 'Content-Type': 'text/html' })
        res.end(
          '<!doctype html><title>Portal</title><div id="root"></div><script type="module" src="/main.js"></script>',
        )
      }),
    )
  }
  origin = await listen((app = portal()), 'localhost')
  framedApp = portal({ cookie: { sameSite: 'none', partitioned: true } })
  framedOrigin = await listen(framedApp, 'localhost')
  storedOrigin = await listen((storedApp = portal({ session: { store } })), 'localhost')
  studio = createServer((req, res) => {
    const src = new URL(req.url!, 'http://studio').searchParams.get('portal')!
    res.writeHead(200, { 'Content-Type': 'text/html' })
    res.end(`<!doctype html><title>Studio</title><iframe title="Staff portal" src="${src}"></iframe>`)
  })
  studioOrigin = await listen(studio, '127.0.0.1')
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  for (const server of [app, framedApp, storedApp, studio])
    await new Promise((resolve) => server?.close(resolve))
  await standIn?.close()
})

/** Everything a script on the page can read: cookies, both storages, the React Query cache, every global. */
const readable = () =>
  `(() => {
    const seen = []
    for (const name of Object.getOwnPropertyNames(window)) {
      try { seen.push(name + '=' + JSON.stringify(window[name])) } catch {}
    }
    return JSON.stringify({
      cookie: document.cookie,
      local: { ...localStorage },
      session: { ...sessionStorage },
      cache: window.queryClient.getQueryCache().getAll().map((q) => q.state),
      mutations: window.queryClient.getMutationCache().getAll().map((m) => m.state),
      globals: seen.join('\\n'),
    })
  })()`

describe('mode="server" in Chromium', () => {
  it('signs in through the proxy, survives a reload, signs out; no script can read the token', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    const bodies: string[] = []
    page.on('response', async (response) => bodies.push(await response.text().catch(() => '')))

    await page.goto(origin)
    await page.getByLabel('Username').fill('demo.staff')
    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
    await page.getByText('Token readable by this page: no').waitFor()
    await page.getByRole('list', { name: 'Staff' }).getByText('Ada').waitFor()

    const [token] = standIn.mindbody.validTokens()
    expect(token).toMatch(/^[0-9a-f]{32}$/)
    expect(await page.evaluate(readable())).not.toContain(token)

    const cookies = await context.cookies()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({
      name: '__Secure-mindbody-session.-99',
      path: '/mindbody',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    })
    expect(cookies[0]!.value).not.toContain(token)
    expect(cookies[0]!.expires - Date.now() / 1000).toBeGreaterThan(23 * 3600)

    await page.reload()
    await page.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
    expect(await page.evaluate(readable())).not.toContain(token)

    // The form comes back at once; the cookie goes when the proxy answers the revoke.
    const revoked = page.waitForResponse((response) => response.url().endsWith('/usertoken/revoke'))
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Username').waitFor()
    await revoked
    expect(await context.cookies()).toEqual([])
    expect(standIn.mindbody.isValid(token!)).toBe(false)
    await page.reload()
    await page.getByLabel('Username').waitFor()

    // The probe itself works: a token a script could read is found.
    await page.evaluate((t) => ((window as unknown as { probe: string }).probe = t), token!)
    expect(await page.evaluate(readable())).toContain(token)

    expect(bodies.join('\n')).not.toContain(token)
    expect(bodies.join('\n')).not.toContain(API_KEY)
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)
})

describe('a signed-out page load in server mode, in Chromium', () => {
  it('logs nothing in the console: signed out is an answer, not a failed request', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const logged: string[] = []
    // What DevTools shows by default: errors and warnings (a failed request is an error), not its hints.
    page.on('console', (message) => {
      if (['error', 'warning', 'assert'].includes(message.type()))
        logged.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => logged.push(`pageerror: ${error.message}`))
    const restored = page.waitForResponse((response) => response.url().endsWith('/mindbody/session'))
    await page.goto(origin)
    expect((await restored).status()).toBe(200)
    await page.getByLabel('Username').waitFor()
    expect(logged).toEqual([])
    await context.close()
  }, 60_000)
})

describe('the quick start in server mode, in Chromium', () => {
  it("serves useQuery under a provider with no QueryClientProvider, and shows Mindbody's own words", async () => {
    const refusal = { Error: { Message: 'ClassIds must be numbers.', Code: 'InvalidParameter' } }
    standIn.use(http.get('*/public/v6/class/classes', () => HttpResponse.json(refusal, { status: 400 })))
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${origin}/?bare`)
    await page.getByLabel('Username').fill('demo.staff')
    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    // The staff list is the portal's own useQuery, with no QueryClientProvider on the page.
    await page.getByRole('list', { name: 'Staff' }).getByText('Ada').waitFor()
    await page.getByRole('alert').getByText('Classes: ClassIds must be numbers.').waitFor()
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)
})

/** A new browser context and page at `url`, with the page's errors collected. */
async function openPage(url: string) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(url)
  return { context, page, errors }
}

describe('mode="server" in a cross-site iframe, in Chromium', () => {
  /** Opens the studio's page with the portal at `portalOrigin` in its iframe, and signs in there. */
  async function signInFramed(portalOrigin: string) {
    const { context, page, errors } = await openPage(
      `${studioOrigin}/?portal=${encodeURIComponent(portalOrigin)}`,
    )
    const frame = page.frameLocator('iframe')
    await frame.getByLabel('Username').fill('demo.staff')
    await frame.getByLabel('Password').fill('demo-password')
    const issued = page.waitForResponse((response) => response.url().endsWith('/usertoken/issue'))
    await frame.getByRole('button', { name: 'Sign in' }).click()
    expect((await issued).status()).toBe(200)
    return { context, page, frame, errors }
  }

  it("keeps the session with cookie: { sameSite: 'none', partitioned: true }, in the embedding site's partition", async () => {
    const { context, page, frame, errors } = await signInFramed(framedOrigin)
    await frame.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
    const cookies = await context.cookies()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({
      name: '__Secure-mindbody-session.-99',
      httpOnly: true,
      secure: true,
      sameSite: 'None',
    })
    // Partitioned by the top-level site: scheme and host, no port.
    expect(cookies[0]!.partitionKey).toBe('http://127.0.0.1')

    await page.reload()
    await frame.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
    await frame.getByRole('list', { name: 'Staff' }).getByText('Ada').waitFor()
    await frame.getByRole('button', { name: 'Sign out' }).click()
    await frame.getByLabel('Username').waitFor()
    await expect.poll(() => context.cookies()).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)

  it('loses the session there with the default SameSite=Strict, which is what the option is for', async () => {
    // The browser refuses a Strict cookie from a cross-site frame: the next call is not signed in.
    const { context, page, frame } = await signInFramed(origin)
    expect(await context.cookies()).toEqual([])
    const restored = page.waitForResponse((response) => response.url().endsWith('/mindbody/session'))
    await page.reload()
    const answer = await restored
    expect([answer.status(), await answer.json()]).toEqual([200, null])
    await frame.getByLabel('Username').waitFor()
    expect(await frame.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).count()).toBe(0)
    await context.close()
  }, 60_000)
})

describe('mode="server" revalidation, in Chromium', () => {
  /** Signs in on the portal page at `query`, and ends the session on the server. */
  async function signedInThenRevoked(query: string) {
    const { context, page, errors } = await openPage(`${storedOrigin}/${query}`)
    await page.getByLabel('Username').fill('demo.staff')
    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
    // The staff list loads after sign-in. Ended before it answered, the session would be found ended
    // by that call's 401, not by the revalidation under test: wait until the page is quiet.
    await page.getByRole('list', { name: 'Staff' }).getByText('Ada').waitFor()
    const token = standIn.mindbody.validTokens().at(-1)!
    expect(await sessions.revoke({ siteId: -99 })).toBe(1)
    return { context, page, errors, token }
  }

  it('signs out within one revalidation after the proxy ends the session', async () => {
    const { context, page, errors, token } = await signedInThenRevoked('?revalidateMs=1000')
    await page.getByLabel('Username').waitFor({ timeout: 5000 })
    expect(standIn.mindbody.isValid(token)).toBe(false)
    expect(await context.cookies()).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)

  it('signs out on window focus, with interval revalidation off', async () => {
    const { context, page, token } = await signedInThenRevoked('?revalidateMs=off')
    // With no interval, only focus (or coming online) asks the proxy. The window may take focus back
    // as soon as the other page opens, so every check from here on is counted, whenever it comes.
    const checks: number[] = []
    page.on('response', (r) => void (r.url().endsWith('/mindbody/session') && checks.push(r.status())))
    const other = await context.newPage()
    await other.goto('about:blank')
    await page.bringToFront()
    await page.evaluate(() => window.dispatchEvent(new FocusEvent('focus')))
    await page.getByLabel('Username').waitFor()
    // The page can show the form before Playwright has reported the answer that signed it out.
    await expect.poll(() => checks[0]).toBe(401)
    expect(standIn.mindbody.isValid(token)).toBe(false)
    await context.close()
  }, 60_000)
})
