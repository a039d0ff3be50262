// A new user's first hour, automated: pack the library, install the tarball into a fresh Vite React
// app, paste the README's quick start as App.tsx and its development set-up as main.tsx, type-check and
// build it, check that the production build holds no MSW and no mock, server-render it in Node, then in
// headless Chromium: sign in and out of the production build in front of the mock served over HTTP
// (serveMockMindbody, from the packed /testing entry), and in the dev server, where the README's
// main.tsx starts the mock in the page: a reload keeps the session, an unknown endpoint answers
// Mindbody's JSON 404, and no password reaches the console. Then the README's embedding recipe, built
// twice into two widget scripts on a host page with no React (widgets.mjs).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { packApp } from '../packApp.mjs'
import { block, buildWidgetHost, driveWidgets, writeWidgetRecipe } from './widgets.mjs'

const root = resolve(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'mindbody-consumer-'))
const run = (cmd, args, cwd = work) => execFileSync(cmd, args, { cwd, stdio: 'inherit' })

const readme = readFileSync(join(root, 'README.md'), 'utf8')
const quickStartBlocks = [...(readme.split('## Quick start')[1] ?? '').matchAll(/```tsx\n([\s\S]*?)```/g)]
const quickStart = quickStartBlocks[0]?.[1]
if (!quickStart) throw new Error('README.md has no tsx block under "## Quick start"')
// The quick start's typed call, rendered once signed in, as its words say ("render it inside StaffArea").
const typedCall = quickStartBlocks.find(([, code]) => code.includes('useMindbodyApi('))?.[1]
if (!typedCall) throw new Error('README.md has no typed call (useMindbodyApi) under "## Quick start"')
const app = `${quickStart.replace('<StaffArea />', '<StaffArea />\n      <SignedInClasses />')}
${typedCall}
function SignedInClasses() {
  return useUserToken().isAuthenticated ? <TodaysClasses /> : null
}
`
const main = block(readme, '// src/main.tsx')
// What the words after the set-up say to do to stay signed in over a reload.
const STAY_SIGNED_IN = 'give the provider `storage="session"`'
if (!readme.replace(/\s+/g, ' ').includes(STAY_SIGNED_IN))
  throw new Error(`README.md no longer says to ${STAY_SIGNED_IN}`)

const tarball = packApp(join(import.meta.dirname, 'app'), work, 'consumer')
writeFileSync(join(work, 'src/App.tsx'), app)
writeFileSync(join(work, 'src/main.tsx'), main)
writeWidgetRecipe(work, readme)
// The production build, served by `vite preview` in front of a Mindbody at MOCK_URL, as a proxy would.
writeFileSync(
  join(work, 'vite.preview.config.ts'),
  `import { defineConfig } from 'vite'
export default defineConfig({
  preview: {
    proxy: { '/mindbody': { target: process.env.MOCK_URL, rewrite: (path) => path.replace(/^\\/mindbody/, '') } },
  },
})
`,
)
const react = process.env.REACT_VERSION ?? '19'
run('npm', [
  'install',
  '--no-audit',
  '--no-fund',
  '--loglevel=error',
  `./${tarball}`,
  `react@${react}`,
  `react-dom@${react}`,
  `@types/react@${react}`,
  `@types/react-dom@${react}`,
  '@tanstack/react-query@5',
  'axios@1',
  'msw@2',
  'vite@~8.3.4',
  '@vitejs/plugin-react@6',
  'typescript@5.9',
  'tsx@4',
])
run('npx', ['msw', 'init', 'public', '--no-save'])
run('npx', ['tsc', '-p', '.'])
run('npx', ['vite', 'build', '--logLevel', 'warn'])
checkProductionBuild(join(work, 'dist'))
run('npx', ['tsx', '--tsconfig', 'tsconfig.json', 'src/ssr.tsx'])
buildWidgetHost(work, run)

/**
 * The production build holds neither MSW nor the mock: none of their words in any file the page can
 * load. MSW's worker file, copied from public/ as Vite copies every public file, is the one exception,
 * and nothing in the build names it.
 */
function checkProductionBuild(dist) {
  const files = readdirSync(dist, { recursive: true }).filter((f) => /\.(js|mjs|html|css|map)$/.test(f))
  const markers = [
    ['MSW', /\[MSW\]|MOCK_ACTIVATE|mswjs|msw\/browser/],
    ['its worker', /mockServiceWorker/],
    ['the mock', /react-mindbody-user-token\/mock|mock Mindbody|createMockMindbody/],
    ['the demo accounts', /demo-password|demo\.staff|demo\.owner|Lovelace/],
  ]
  let scripts = 0
  for (const file of files.filter((f) => !f.endsWith('mockServiceWorker.js'))) {
    const code = readFileSync(join(dist, file), 'utf8')
    if (file.endsWith('.js')) scripts++
    for (const [what, marker] of markers)
      if (marker.test(code))
        throw new Error(`the production build holds ${what}: ${relative(work, join(dist, file))}`)
  }
  if (!scripts) throw new Error('the production build has no script to check')
  console.log(`production build checked: ${scripts} script(s), no MSW, no mock, no demo password`)
}

// Above 10080, Chromium's last restricted port (it refuses 4045, 5060, 5061, 6000, 6665…), and below
// Linux's ephemeral ports, with room for the +1000 and +2000 servers beside it.
const port = 20000 + Math.floor(Math.random() * 10000)
const { serveMockMindbody } = await import(
  pathToFileURL(join(work, 'node_modules/react-mindbody-user-token/dist/testing.js')).href
)
const mock = await serveMockMindbody()
const serve = (args, env = {}) =>
  spawn('npx', ['vite', ...args, '--strictPort'], {
    cwd: work,
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, ...env },
  })
const preview = serve(['preview', '-c', 'vite.preview.config.ts', '--port', String(port)], {
  MOCK_URL: mock.url,
})
const hostPreview = serve(['preview', '--port', String(port + 1000), '--outDir', 'widget-host'])
// The dev server, with the words after the set-up followed: the provider keeps the token in sessionStorage.
writeFileSync(
  join(work, 'src/App.tsx'),
  app.replace('baseURL="/mindbody">', 'baseURL="/mindbody" storage="session">'),
)
const dev = serve(['--port', String(port + 2000)])
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
})
/** Opens `url` once its server answers. */
async function open(page, url) {
  for (let i = 0; ; i++) {
    try {
      return await page.goto(url)
    } catch (error) {
      if (i > 100) throw error
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}
const signIn = async (page, password) => {
  await page.getByLabel('Username').fill('demo.staff')
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}
try {
  const page = await browser.newPage()
  await open(page, `http://localhost:${port}/`)
  await signIn(page, 'wrong')
  await page.getByRole('alert').filter({ hasText: 'Staff identity authentication failed.' }).waitFor()
  await signIn(page, 'demo-password')
  await page.getByText('Signed in as Ada Lovelace').waitFor()
  // The typed call, answered by the mock in the shapes the types describe.
  await page.getByText('Morning Flow with Ada Lovelace').waitFor()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('button', { name: 'Sign in' }).waitFor()
  if (await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)))
    throw new Error('the production build registered a service worker')
  await page.close()
  console.log(
    'consumer smoke test passed: the README quick start, built for production, signs in and out against serveMockMindbody',
  )

  await driveDevServer(`http://localhost:${port + 2000}/`)
  console.log(
    "development set-up passed: the README's main.tsx starts the mock quietly, a reload keeps the session, an unknown endpoint answers Mindbody's 404",
  )

  await driveWidgets(browser, `http://localhost:${port + 1000}/`)
  console.log(
    'embedding recipe passed: two widget scripts, four widgets of site -99 (one in Shadow DOM) share one sign-in and one sign-out',
  )
} finally {
  await browser.close()
  await mock.close()
  for (const server of [preview, hostPreview, dev]) process.kill(-server.pid)
}

/** The README's development set-up in the dev server, as a newcomer runs it. */
async function driveDevServer(url) {
  const WRONG = 'not-the-password-3141'
  const page = await browser.newPage()
  /** Every console message, its arguments read whole: MSW logs a request body as an object. */
  const logged = []
  page.on('console', async (message) => {
    const args = await Promise.all(message.args().map((arg) => arg.jsonValue().catch(() => String(arg))))
    logged.push(`${message.type()}: ${message.text()} ${JSON.stringify(args)}`)
  })
  await open(page, url)
  await signIn(page, WRONG)
  await page.getByRole('alert').filter({ hasText: 'Staff identity authentication failed.' }).waitFor()
  await signIn(page, 'demo-password')
  await page.getByText('Signed in as Ada Lovelace').waitFor()

  // A reload builds the page's mock afresh: it still knows the token, as Mindbody would.
  await page.reload()
  await page.getByText('Signed in as Ada Lovelace').waitFor()
  if (await page.getByLabel('Password').count()) throw new Error('the reload showed the sign-in form')

  const unknown = await page.evaluate(async () => {
    const response = await fetch('/mindbody/public/v6/sale/sales', { headers: { SiteId: '-99' } })
    return {
      status: response.status,
      type: response.headers.get('Content-Type'),
      body: await response.text(),
    }
  })
  if (
    unknown.status !== 404 ||
    !/json/.test(unknown.type) ||
    JSON.parse(unknown.body).Error?.Code !== 'NotFound'
  )
    throw new Error(
      `an endpoint the mock lacks answered ${unknown.status} ${unknown.type}: ${unknown.body.slice(0, 80)}`,
    )

  // The sign-out revokes the restored token: 200 only if the mock still knows it (401 otherwise).
  const revoked = page.waitForResponse((response) => response.url().endsWith('/usertoken/revoke'))
  await page.getByRole('button', { name: 'Sign out' }).click()
  if ((await revoked).status() !== 200)
    throw new Error(`the restored token's revoke answered ${(await revoked).status()}`)
  await page.getByRole('button', { name: 'Sign in' }).waitFor()

  const leaked = logged.filter((line) => line.includes('demo-password') || line.includes(WRONG))
  if (leaked.length) throw new Error(`the console shows a password:\n${leaked.join('\n')}`)
  await page.close()
}
