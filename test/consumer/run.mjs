// A new user's first hour, automated: pack the library, install the tarball into a fresh Vite React
// app, paste the README's quick start as App.tsx, type-check and build it, server-render it in Node,
// then sign in and out in headless Chromium against the /testing mock. Then the README's embedding
// recipe, built twice into two widget scripts on a host page with no React (widgets.mjs).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { packApp } from '../packApp.mjs'
import { buildWidgetHost, driveWidgets, writeWidgetRecipe } from './widgets.mjs'

const root = resolve(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'mindbody-consumer-'))
const run = (cmd, args, cwd = work) => execFileSync(cmd, args, { cwd, stdio: 'inherit' })

const readme = readFileSync(join(root, 'README.md'), 'utf8')
const quickStart = readme.split('## Quick start')[1]?.match(/```tsx\n([\s\S]*?)```/)?.[1]
if (!quickStart) throw new Error('README.md has no tsx block under "## Quick start"')

const tarball = packApp(join(import.meta.dirname, 'app'), work, 'consumer')
writeFileSync(join(work, 'src/App.tsx'), quickStart)
writeWidgetRecipe(work, readme)
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
run('npx', ['tsx', '--tsconfig', 'tsconfig.json', 'src/ssr.tsx'])
buildWidgetHost(work, run)

const port = 4000 + Math.floor(Math.random() * 1000)
const serve = (...args) =>
  spawn('npx', ['vite', 'preview', '--strictPort', ...args], { cwd: work, stdio: 'ignore', detached: true })
const preview = serve('--port', String(port))
const hostPreview = serve('--port', String(port + 1000), '--outDir', 'widget-host')
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
try {
  const page = await browser.newPage()
  for (let i = 0; ; i++) {
    try {
      await page.goto(`http://localhost:${port}/`)
      break
    } catch (error) {
      if (i > 50) throw error
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  await page.getByLabel('Username').fill('demo.staff')
  await page.getByLabel('Password').fill('wrong')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('alert').filter({ hasText: 'Staff identity authentication failed.' }).waitFor()
  await page.getByLabel('Password').fill('demo-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText('Signed in as Ada Lovelace').waitFor()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('button', { name: 'Sign in' }).waitFor()
  console.log('consumer smoke test passed: README quick start signs in and out against the mock')

  await driveWidgets(browser, `http://localhost:${port + 1000}/`)
  console.log(
    'embedding recipe passed: two widget scripts, four widgets of site -99 (one in Shadow DOM) share one sign-in and one sign-out',
  )
} finally {
  await browser.close()
  process.kill(-preview.pid)
  process.kill(-hostPreview.pid)
}
