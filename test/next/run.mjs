// npm run test:next — a Next.js App Router user's first hour, automated. It packs the library, writes a
// fresh Next 16 app (Turbopack, React 19, no network template) from the Next.js guide's files word for
// word (docs/nextjs.md) plus a small portal, builds it with `next build`, serves it with `next start`
// in front of a loopback Mindbody stand-in, and drives it in Debian's Chromium.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { strict as assert } from 'node:assert'
import { chromium } from 'playwright-core'
import { packApp } from '../packApp.mjs'

const root = resolve(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'mindbody-next-'))
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }
const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, stdio: 'inherit', env })
const step = (text) => console.log(`\n--- ${text}`)

// The Next.js guide's files: every block in docs/nextjs.md that names its path.
const section = readFileSync(join(root, 'docs/nextjs.md'), 'utf8')
const files = [...section.matchAll(/```tsx?\n(\/\/ (app\/[^\s:]+)[^\n]*\n[\s\S]*?)```/g)].map(
  ([, code, path]) => [path, code],
)
for (const needed of [
  'app/providers.tsx',
  'app/layout.tsx',
  'app/token/layout.tsx',
  'app/mindbody/[...path]/route.ts',
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

step(`packing the library and writing the app in ${work}`)
const tarball = packApp(join(import.meta.dirname, 'app'), work, 'next-consumer')
for (const [path, code] of files) {
  mkdirSync(join(work, dirname(path)), { recursive: true })
  writeFileSync(join(work, path), code)
}
run('npm', [
  'install',
  '--no-audit',
  '--no-fund',
  '--loglevel=error',
  `./${tarball}`,
  'next@16',
  'react@19',
  'react-dom@19',
  '@types/react@19',
  '@types/react-dom@19',
  '@types/node@20',
  '@tanstack/react-query@5',
  'axios@1',
  'msw@2',
  'typescript@5.9',
])

step('starting the loopback Mindbody stand-in')
const standIn = spawn('node', ['standIn.mjs'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] })
const upstream = await new Promise((resolve, reject) => {
  standIn.stdout.on('data', (data) => {
    const found = /STAND_IN (\S+)/.exec(String(data))
    if (found) resolve(found[1])
  })
  standIn.once('exit', () => reject(new Error('the stand-in exited')))
})
Object.assign(env, {
  MINDBODY_UPSTREAM: upstream,
  MINDBODY_API_KEY: 'a-server-side-api-key',
  MINDBODY_SESSION_SECRET: 'a-next-test-secret-that-is-long-enough',
  NEXT_PUBLIC_MINDBODY_SITE_ID: '-99',
  MINDBODY_STATUS_USERNAME: 'demo.owner',
  MINDBODY_STATUS_PASSWORD: 'demo-password',
})

step('next build (Turbopack, with its type check)')
run('npx', ['next', 'build'])

const port = 4000 + Math.floor(Math.random() * 1000)
const origin = `http://localhost:${port}`
step(`next start on ${origin}`)
const server = spawn('npx', ['next', 'start', '-p', String(port)], {
  cwd: work,
  env: { ...env, NODE_ENV: 'production', APP_ORIGIN: origin },
  stdio: 'ignore',
  detached: true,
})
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
})
const validTokens = () => fetch(`${upstream}/valid-tokens`).then((r) => r.json())
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(origin)).ok) break
    } catch (error) {
      if (i > 100) throw error
    }
    await new Promise((r) => setTimeout(r, 200))
  }

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
    'the server component used /core',
  )

  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    const { url } = message.location()
    // Chromium logs every 4xx answer to a script's request. Two are expected: restoring with no session
    // (GET /session answers 401, as the proxy documents), and the favicon this app does not have.
    const expected = /status of 401/.test(message.text())
      ? url.endsWith('/mindbody/session')
      : /favicon\.ico$/.test(url)
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

  step('token mode: sign in, a useMindbodyClient call, a reload with no sign-in flash, sign out')
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
  console.log(
    '\nnext app test passed: SSR, no hydration or console errors, both modes, /core and the root on the server',
  )
} finally {
  await browser.close()
  process.kill(-server.pid)
  standIn.kill()
}

step('a server component importing a hook from the package root fails the build, with a clear message')
mkdirSync(join(work, 'app/misused'), { recursive: true })
writeFileSync(
  join(work, 'app/misused/page.tsx'),
  `import { useUserToken } from 'react-mindbody-user-token'\n\nexport default function Misused() {\n  return <p>{String(useUserToken().isAuthenticated)}</p>\n}\n`,
)
let output = ''
try {
  execFileSync('npx', ['next', 'build'], { cwd: work, env, encoding: 'utf8', stdio: 'pipe' })
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
