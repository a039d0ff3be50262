// npm run test:next — a Next.js App Router user's first hour, automated. It makes a fresh app with
// `create-next-app@latest` and its defaults (Cache Components on, Turbopack, TypeScript), packs the
// library into it, writes the Next.js guide's files word for word (docs/nextjs.md) plus a small portal,
// and then, twice — with the config create-next-app writes, and with Cache Components off — builds it
// with `next build` and no secret in the environment, serves it with `next start` in front of a
// loopback Mindbody stand-in, and drives it in Debian's Chromium, in server mode and token mode.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { strict as assert } from 'node:assert'
import { chromium } from 'playwright-core'
import { packApp } from '../packApp.mjs'

const root = resolve(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'mindbody-next-'))
const app = join(work, 'portal')
// What the app's server needs, none of it at build time: `next build` sees only the public site id.
const SERVER_ENV = [
  'MINDBODY_API_KEY',
  'MINDBODY_SESSION_SECRET',
  'MINDBODY_UPSTREAM',
  'MINDBODY_STATUS_USERNAME',
  'MINDBODY_STATUS_PASSWORD',
  'APP_ORIGIN',
]
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXT_PUBLIC_MINDBODY_SITE_ID: '-99' }
for (const name of SERVER_ENV) delete env[name]
// No saved create-next-app preferences: its defaults, as on a fresh machine.
env.XDG_CONFIG_HOME = join(work, '.config')
const run = (cmd, args, cwd = app) => execFileSync(cmd, args, { cwd, stdio: 'inherit', env })
const step = (text) => console.log(`\n--- ${text}`)
const started = Date.now()
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`

// The Next.js guide's files: every block in docs/nextjs.md that names its path.
const guide = readFileSync(join(root, 'docs/nextjs.md'), 'utf8')
const files = [...guide.matchAll(/```tsx?\n(\/\/ (app\/[^\s:]+)[^\n]*\n[\s\S]*?)```/g)].map(
  ([, code, path]) => [path, code],
)
for (const needed of [
  'app/providers.tsx',
  'app/layout.tsx',
  'app/token/layout.tsx',
  'app/mindbody-api/[...path]/route.ts',
  'app/mindbody/[...path]/route.ts',
  'app/status/page.tsx',
])
  assert.ok(
    files.some(([path]) => path === needed),
    `the Next.js guide shows ${needed}`,
  )
for (const serverComponent of ['app/layout.tsx', 'app/token/layout.tsx'])
  assert.doesNotMatch(
    files.find(([path]) => path === serverComponent)[1],
    /'use client'/,
    `${serverComponent} is a server component`,
  )

step(`create-next-app@latest with its defaults, in ${work}`)
// The defaults but three that touch nothing of the library's: Tailwind, ESLint and AGENTS.md.
const createNextApp = (name, ...flags) =>
  run(
    'npx',
    [
      '--yes',
      'create-next-app@latest',
      name,
      '--yes',
      '--skip-install',
      '--disable-git',
      '--no-tailwind',
      '--no-eslint',
      '--no-agents-md',
      ...flags,
    ],
    work,
  )
createNextApp('portal')
createNextApp('without-cache-components', '--no-cache-components')
const configs = [
  ['create-next-app@latest defaults', readFileSync(join(app, 'next.config.ts'), 'utf8')],
  ['Cache Components off', readFileSync(join(work, 'without-cache-components/next.config.ts'), 'utf8')],
]
assert.match(configs[0][1], /cacheComponents: true/, 'create-next-app turns Cache Components on by default')
assert.doesNotMatch(configs[1][1], /cacheComponents/, '--no-cache-components leaves it out')
for (const [name, config] of configs) console.log(`next.config.ts, ${name}:\n${config}`)

step('packing the library and writing the guide’s files and the portal into the app')
const tarball = packApp(join(import.meta.dirname, 'app'), app)
for (const [path, code] of files) {
  mkdirSync(join(app, dirname(path)), { recursive: true })
  writeFileSync(join(app, path), code)
}
// Next, React and TypeScript as create-next-app pinned them in package.json, and the library's peers.
run('npm', [
  'install',
  '--no-audit',
  '--no-fund',
  '--loglevel=error',
  `./${tarball}`,
  '@tanstack/react-query@5',
  'axios@1',
  'msw@2',
])
const nextVersion = JSON.parse(readFileSync(join(app, 'node_modules/next/package.json'), 'utf8')).version
console.log(`Next.js ${nextVersion}`)

step('starting the loopback Mindbody stand-in')
const standIn = spawn('node', ['standIn.mjs'], { cwd: app, stdio: ['ignore', 'pipe', 'inherit'] })
const upstream = await new Promise((resolve, reject) => {
  standIn.stdout.on('data', (data) => {
    const found = /STAND_IN (\S+)/.exec(String(data))
    if (found) resolve(found[1])
  })
  standIn.once('exit', () => reject(new Error('the stand-in exited')))
})
const API_KEY = 'a-server-side-api-key'
const SECRET = 'a-next-test-secret-that-is-long-enough'
const serverEnv = {
  ...env,
  NODE_ENV: 'production',
  MINDBODY_UPSTREAM: upstream,
  MINDBODY_API_KEY: API_KEY,
  MINDBODY_SESSION_SECRET: SECRET,
  MINDBODY_STATUS_USERNAME: 'demo.owner',
  MINDBODY_STATUS_PASSWORD: 'demo-password',
}
const validTokens = () => fetch(`${upstream}/valid-tokens`).then((r) => r.json())
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
})

/**
 * `next start` on a free port, with `extra(origin)` over the server's environment (`undefined` leaves a
 * variable out); its stderr is kept, to read its log. The browser's address is 127.0.0.1, while
 * Next.js names itself localhost in `request.url`.
 */
async function start(extra = () => ({})) {
  // Above 10080, Chromium's last restricted port (it refuses 4045, 5060, 5061, 6000, 6665…), and below
  // Linux's ephemeral ports, with room for the +1000 and +2000 servers beside it.
  const port = 20000 + Math.floor(Math.random() * 10000)
  const origin = `http://127.0.0.1:${port}`
  const serverEnvHere = { ...serverEnv, ...extra(origin) }
  for (const [name, value] of Object.entries(serverEnvHere))
    if (value === undefined) delete serverEnvHere[name]
  const server = spawn('npx', ['next', 'start', '-p', String(port)], {
    cwd: app,
    env: serverEnvHere,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  })
  let stderr = ''
  server.stderr.on('data', (data) => (stderr += data))
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/api/seen`)).ok) break
    } catch (error) {
      if (i > 150) throw error
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return { origin, stderr: () => stderr, stop: () => process.kill(-server.pid) }
}

/** Everything a user sees of the built app at `origin`, in server mode and token mode. */
async function drive(origin) {
  step('server-rendered HTML')
  const html = await (await fetch(origin)).text()
  assert.match(html, /<h1>Staff portal<\/h1>/, 'the page is rendered on the server')
  assert.match(html, /Restoring your session/, 'the server renders the restoring state, not a sign-in form')
  // The token section's layout renders <MindbodyProvider> and its page <UserTokenGate>, both server components.
  const tokenHtml = await (await fetch(`${origin}/token`)).text()
  assert.match(tokenHtml, /Restoring your session/, 'storage="local" renders restoring on the server')

  step('a route handler importing from the package root, and a server component with /core')
  const check = await fetch(`${origin}/api/check`)
  assert.equal(check.status, 200, 'the route handler importing from the package root answers 200')
  assert.deepEqual(await check.json(), { refusedBadInput: true, oneErrorClass: true })
  const status = await (await fetch(`${origin}/status`)).text()
  assert.match(
    status,
    /Mindbody is up: signed in and out as <!-- -->?Grace/,
    'the server component used /core at request time, with the environment of next start',
  )

  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    const { url } = message.location()
    // Chromium logs every 4xx answer to a script's request. One is expected: restoring with no session
    // (GET /session answers 401, as the proxy documents).
    const expected = /status of 401/.test(message.text()) && url.endsWith('/mindbody/session')
    if ((message.type() === 'error' && !expected) || /hydrat/i.test(message.text()))
      problems.push(`${message.text()} (${url})`)
  })
  const signIn = async () => {
    await page.getByLabel('Username').fill('demo.staff')
    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
    await page.getByRole('list', { name: 'Staff' }).getByText('Grace').waitFor()
  }
  const signOut = async () => {
    const revoked = page.waitForResponse((r) => r.url().endsWith('/usertoken/revoke'))
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Username').waitFor()
    await revoked
  }
  const sentApiKey = []
  page.on('request', (request) => {
    if (Object.values(request.headers()).includes(API_KEY)) sentApiKey.push(request.url())
  })

  step(
    'token mode, through the guide’s /mindbody-api route: sign in, a call, a reload with no flash, sign out',
  )
  const before = (await (await fetch(`${upstream}/calls`)).json()).length
  await page.goto(`${origin}/token`)
  await signIn()
  await page.getByText('Token readable by this page: yes').waitFor()
  // Watch every frame of the reload: the sign-in form must never appear.
  await page.addInitScript(() => {
    window.flashed = false
    new MutationObserver(() => {
      if (document.querySelector('input[type="password"]')) window.flashed = true
    }).observe(document, { childList: true, subtree: true })
  })
  await page.reload()
  await page.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
  assert.equal(await page.evaluate(() => window.flashed), false, 'no sign-in form flashed during the reload')
  await signOut()
  const tokenCalls = (await (await fetch(`${upstream}/calls`)).json()).slice(before)
  assert.deepEqual(
    [...new Set(tokenCalls.map((call) => call.path.replace(/\?.*/, '')))].sort(),
    ['/public/v6/staff/staff', '/public/v6/usertoken/issue', '/public/v6/usertoken/revoke'],
    'the route forwarded the sign-in, the call and the sign-out to Mindbody',
  )
  assert.ok(
    tokenCalls.every((call) => call.apiKey === API_KEY),
    'the route added the API key to every call',
  )
  assert.deepEqual(sentApiKey, [], 'the browser never sent the API key')

  step('server mode: sign in through the proxy route handler; no token readable from the page')
  await page.goto(origin)
  await signIn()
  await page.getByText('Token readable by this page: no').waitFor()
  const [token] = await validTokens()
  assert.ok(token, 'the stand-in issued a token')
  const readable = await page.evaluate(() => {
    const globals = []
    for (const name of Object.getOwnPropertyNames(window)) {
      try {
        globals.push(JSON.stringify(window[name]))
      } catch {
        // not serialisable
      }
    }
    return JSON.stringify([document.cookie, { ...localStorage }, { ...sessionStorage }, globals])
  })
  assert.ok(!readable.includes(token), 'no script can read the token')
  const [cookie] = await context.cookies()
  assert.equal(cookie?.httpOnly, true, 'the session cookie is HttpOnly')
  assert.equal(cookie?.sameSite, 'Strict')
  await page.reload()
  await page.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
  await signOut()
  assert.deepEqual(await validTokens(), [], 'every token was revoked')

  assert.deepEqual(problems, [], 'no hydration warning, console error or page error')
  await context.close()
}

const timings = []
try {
  for (const [index, [name, config]] of configs.entries()) {
    const buildStarted = Date.now()
    step(`${name}: next build, with no secret and no API key in the environment`)
    writeFileSync(join(app, 'next.config.ts'), config)
    run('npx', ['next', 'build'])
    timings.push(`${name}: next build ${Math.round((Date.now() - buildStarted) / 1000)} s`)

    if (index === 0) {
      step(`${name}: next start with no secret: the proxy answers what is missing, and says it once`)
      const server = await start(() => ({ MINDBODY_SESSION_SECRET: undefined }))
      try {
        for (let i = 0; i < 2; i++) {
          const answer = await fetch(`${server.origin}/mindbody/session`, { headers: { SiteId: '-99' } })
          assert.equal(answer.status, 500)
          assert.deepEqual(await answer.json(), {
            Error: {
              Code: 'InternalError',
              Message:
                'The Mindbody proxy is misconfigured: Invalid secret: it is missing; each must be a string of at least 32 characters',
            },
          })
        }
        const said = server
          .stderr()
          .split('\n')
          .filter((line) => /createMindbodyProxy cannot serve/.test(line))
        assert.equal(said.length, 1, `the server logged it once:\n${server.stderr()}`)
        assert.ok(!server.stderr().includes(API_KEY), 'the log holds no key')
      } finally {
        server.stop()
      }
    }

    // With Cache Components, no APP_ORIGIN: the proxy takes its own origin from the browser's Host.
    const withOrigin = index > 0
    step(`${name}: next start, ${withOrigin ? 'APP_ORIGIN set' : 'no APP_ORIGIN, so no origins'}`)
    const server = await start((origin) => ({ APP_ORIGIN: withOrigin ? origin : undefined }))
    try {
      if (!withOrigin) {
        const seen = await (await fetch(`${server.origin}/api/seen`)).json()
        assert.notEqual(
          new URL(seen.url).host,
          seen.host,
          'Next.js builds request.url from its own name, not the Host the browser sent',
        )
      }
      await drive(server.origin)
    } finally {
      server.stop()
    }
    console.log(`\n${name}: passed (${elapsed()} so far)`)
  }
  console.log(
    '\nnext app test passed, in both configurations: built with no secret, SSR, no hydration or console errors, both modes, /core and the root on the server',
  )
} finally {
  await browser.close()
  standIn.kill()
}

step('a server component importing a hook from the package root fails the build, with a clear message')
mkdirSync(join(app, 'app/misused'), { recursive: true })
writeFileSync(
  join(app, 'app/misused/page.tsx'),
  `import { useUserToken } from 'react-mindbody-user-token'\n\nexport default function Misused() {\n  return <p>{String(useUserToken().isAuthenticated)}</p>\n}\n`,
)
let output = ''
try {
  execFileSync('npx', ['next', 'build'], { cwd: app, env, encoding: 'utf8', stdio: 'pipe' })
} catch (error) {
  output = `${error.stdout}${error.stderr}`
}
assert.match(output, /useUserToken/, 'the build failed, naming the hook')
assert.match(output, /doesn't exist|does not exist|not exported|no exported member/i, output)
console.log(
  output
    .split('\n')
    .filter((line) => /useUserToken/.test(line))
    .slice(0, 3)
    .join('\n'),
)
console.log('\nnext app test passed: a hook imported into a server component fails the build')
console.log(`\n${[...timings, `in all: ${elapsed()}`].join('\n')}`)
