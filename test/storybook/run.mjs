// npm run test:storybook — the Storybook people open, tested as they open it: the static build
// (`npm run build-storybook` first), served over HTTP, every story loaded in Debian's Chromium with
// playwright-core. A story fails on a play that throws, a page error, a console error other than the
// mock's deliberate failures listed below, or an axe violation.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { extname, join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const root = resolve(import.meta.dirname, '../..')
const dir = join(root, 'storybook-static')
if (!existsSync(join(dir, 'index.json'))) throw new Error('Run `npm run build-storybook` first.')
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * The console errors each story causes on purpose: Chromium logs every 4xx or 5xx answer a page's
 * script receives, and these stories are about exactly those answers.
 */
const deliberate = {
  'staff-sign-in--wrong-password': [403],
  'staff-sign-in--empty-submit': [403],
  'staff-sign-in--missing-api-key': [401],
  'staff-sign-in--rate-limited': [429],
  'staff-sign-in--server-error': [500],
  'staff-sign-in--network-down': ['net::ERR_FAILED'],
  'staff-sign-in--two-sites': [403],
  'staff-portal--server-mode': [401],
  'token-lifecycle--authenticated-client': [401],
  // Storybook's static build has no proxy at /mindbody, which is what the story explains.
  'live-real-mindbody-api--live': [],
}
const isDeliberate = (id, text) =>
  (deliberate[id] ?? []).some((expected) =>
    typeof expected === 'number' ? text.includes(`status of ${expected}`) : text.includes(expected),
  )

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
}
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
  let file = join(dir, path === '/' ? 'index.html' : path)
  if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = null
  if (!file) return res.writeHead(404).end()
  res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' })
  createReadStream(file).pipe(res)
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const origin = `http://localhost:${server.address().port}`

const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'))
const stories = Object.values(index.entries).filter((e) => e.type === 'story' && e.tags.includes('dev'))

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
})

/** Records the preview's events from the first moment its channel exists. */
const listen = () => {
  window.__events = []
  const events = [
    'storyRendered',
    'storyFinished',
    'playFunctionThrewException',
    'storyThrewException',
    'storyErrored',
    'storyMissing',
  ]
  const attach = (channel) => {
    if (!channel || channel.__watched) return
    channel.__watched = true
    for (const name of events)
      channel.on(name, (payload) =>
        window.__events.push({ name, payload: JSON.parse(JSON.stringify(payload ?? null)) }),
      )
  }
  let current
  Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => current,
    set: (value) => {
      current = value
      attach(value)
    },
  })
}

const failures = []
const started = Date.now()
for (const story of stories) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    // The browser's own request for a favicon is not the page's doing.
    const favicon = message.location().url.endsWith('/favicon.ico')
    if (message.type() === 'error' && !favicon && !isDeliberate(story.id, message.text()))
      problems.push(`console error: ${message.text()} (${message.location().url})`)
  })
  await page.addInitScript(listen)
  await page.goto(`${origin}/iframe.html?id=${story.id}&viewMode=story`)
  let outcome = 'timed out'
  try {
    await page.waitForFunction(
      () =>
        window.__events.some((e) =>
          [
            'storyFinished',
            'playFunctionThrewException',
            'storyThrewException',
            'storyErrored',
            'storyMissing',
          ].includes(e.name),
        ),
      null,
      { timeout: 60_000 },
    )
    const events = await page.evaluate(() => window.__events)
    const thrown = events.find((e) => e.name !== 'storyFinished' && e.name !== 'storyRendered')
    outcome = thrown ? `${thrown.name}: ${JSON.stringify(thrown.payload).slice(0, 600)}` : 'ok'
  } catch {
    // outcome stays 'timed out'
  }
  if (outcome !== 'ok') problems.push(`play: ${outcome}`)
  // A play ends by starting the story afresh, saying what it did: the visitor lands on a state that
  // invites them in, never on "You signed out".
  if (outcome === 'ok' && story.tags.includes('play-fn') && !story.id.startsWith('live-'))
    await page
      .getByText("This story's own test just ran")
      .waitFor({ timeout: 10_000 })
      .then(async () => {
        // A fresh start shows no farewell: not "You signed out.", nor a session lost on the way.
        const farewell = await page.locator('.mb-notice').allInnerTexts()
        if (farewell.length) problems.push(`ends on a sign-out notice: ${farewell.join(' ')}`)
      })
      .catch(() => problems.push('the story did not start afresh after its test'))
  await page.evaluate(axeSource)
  // Storybook's a11y addon runs axe in the page too, and axe runs once at a time: wait for a turn.
  const violations = await page.evaluate(async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { violations } = await window.axe.run(document.querySelector('#storybook-root'))
        return violations.map(
          (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
        )
      } catch (error) {
        if (attempt > 20 || !/already running/i.test(String(error))) throw error
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
  })
  problems.push(...violations.map((v) => `axe: ${v}`))
  console.log(`${problems.length ? '✗' : '✓'} ${story.title} › ${story.name}`)
  for (const problem of problems) console.log(`    ${problem}`)
  if (problems.length) failures.push(story.id)
  await context.close()
}
await browser.close()
server.close()

console.log(
  `\nbuilt Storybook: ${stories.length - failures.length} of ${stories.length} stories passed in Chromium in ${Math.round((Date.now() - started) / 1000)} s` +
    (failures.length ? `; failed: ${failures.join(', ')}` : ''),
)
process.exit(failures.length ? 1 : 0)
