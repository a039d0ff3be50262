// npm run test:storybook — the Storybook people open, tested as they open it: the static build
// (`npm run build-storybook` first), served over HTTP, every story and docs page loaded in Debian's
// Chromium with playwright-core. A story fails on a play that throws, a page error, a failed request
// or a console error or warning that the story did not declare (see `expectedFailures` below), an axe
// violation, a bare HTTP status shown to the visitor, or a stumble in the visitor's walk that follows
// its fresh start (a real reload where the story invites one). A docs page fails on a page error, an
// undeclared failed request or console error or warning, a Markdown table shown as text, or axe; the
// Introduction also fails unless it links every story and docs page of the build and shows the
// README's quick start.
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
 * What a page's console and network must stay free of, unless its story set out to show it. A story
 * (or a docs page's meta) names each failure it shows in `parameters.expectedFailures`
 * (stories/expectedFailures.ts): `requests`, as `'<status or net::ERR_…> <METHOD> <path ending>'`
 * such as `'403 POST /usertoken/issue'`, and `console`, text that a console error or warning it causes
 * on purpose contains. A failed request is an answer of 400 or more, or none at all (Chromium logs
 * each as "Failed to load resource" in the console, which is then the same failure, not another).
 * A declared request failure that never comes fails too, so the declarations stay true.
 */
function watch(page) {
  const failed = []
  const messages = []
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(failure(response.request(), String(response.status())))
  })
  page.on('requestfailed', (request) =>
    failed.push(failure(request, request.failure()?.errorText ?? 'failed')),
  )
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      messages.push({ type: message.type(), text: message.text(), url: message.location().url })
  })
  return (declared) => {
    const requests = declared?.requests ?? []
    const texts = declared?.console ?? []
    const problems = []
    const declares = (entry, { what, method, path }) => {
      const [status, verb, ending] = entry.split(' ')
      return status === what && verb === method && path.endsWith(ending)
    }
    for (const f of failed)
      if (!requests.some((entry) => declares(entry, f)))
        problems.push(`failed request the story did not declare: ${f.what} ${f.method} ${f.path}`)
    for (const entry of requests)
      if (!failed.some((f) => declares(entry, f))) problems.push(`declared failure that never came: ${entry}`)
    for (const { type, text, url } of messages) {
      // The failed request itself, reported above; and the browser's own request for a favicon.
      if (/^Failed to load resource/.test(text) && failed.some((f) => f.url === url)) continue
      if (url.endsWith('/favicon.ico')) continue
      if (texts.some((expected) => text.includes(expected))) continue
      const shown = text.length > 400 ? `${text.slice(0, 400)}…` : text
      problems.push(`console ${type}: ${shown}${url ? ` (${url})` : ''}`)
    }
    return problems
  }
}
const failure = (request, what) => {
  const url = request.url()
  return { what, method: request.method(), url, path: new URL(url).pathname }
}

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
/** `npm run test:storybook -- restore` runs only the stories and docs pages whose id holds "restore". */
const only = (entry) => !process.argv[2] || entry.id.includes(process.argv[2])
const stories = Object.values(index.entries).filter(
  (e) => e.type === 'story' && e.tags.includes('dev') && only(e),
)

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
    // What the story (or the docs page's meta) declares it shows on purpose.
    for (const name of ['storyPrepared', 'docsPrepared'])
      channel.on(name, (payload) => {
        const declared = payload?.parameters?.expectedFailures
        window.__expectedFailures = declared ? JSON.parse(JSON.stringify(declared)) : undefined
      })
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

/** axe's violations under `selector`. Storybook's a11y addon runs axe too, one run at a time: wait for a turn. */
async function axe(page, selector) {
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async (selector) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { violations } = await window.axe.run(document.querySelector(selector))
        return violations.map(
          (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
        )
      } catch (error) {
        if (attempt > 20 || !/already running/i.test(String(error))) throw error
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
  }, selector)
  return violations.map((v) => `axe: ${v}`)
}
function report(name, id, problems) {
  console.log(`${problems.length ? '✗' : '✓'} ${name}`)
  for (const problem of problems) console.log(`    ${problem}`)
  if (problems.length) failures.push(id)
}

const RAN = "This story's own test just ran"
const signInAs = async (page, username, password) => {
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}
const check = (ok, problem) => {
  if (!ok) throw new Error(problem)
}

/**
 * What a visitor does after a story's fresh start, in the stories that invite it: each walk throws on
 * what a stranger would trip over.
 */
const walks = {
  'staff-sign-in--sign-in': async (page) => {
    await page.getByLabel('Username').click()
    check(!(await page.getByText(RAN).count()), 'the line about the test stays after the visitor acts')
    await signInAs(page, 'demo.staff', 'demo-password')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You signed out.').waitFor()
    await signInAs(page, 'demo.staff', 'not-the-password')
    await page
      .getByRole('alert')
      .getByText('The username or password is not right.', { exact: false })
      .waitFor()
    check(!(await page.locator('.mb-notice').count()), '"You signed out." stays above the new error')
  },
  // It invites "any number of reloads": the browser's own reload, then a renewal, keeps the session,
  // and a sign-out then reaches Mindbody.
  'token-lifecycle--restore-after-reload': async (page) => {
    await page.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
    await page.reload()
    await page.getByText(RAN).waitFor({ timeout: 30_000 })
    const renewed = page.waitForResponse((response) => response.url().endsWith('/usertoken/renew'))
    await page.getByRole('button', { name: 'Stay signed in' }).click()
    const status = (await renewed).status()
    check(status < 300, `the renewal after F5 answered ${status}`)
    await page.getByRole('button', { name: 'Stay signed in' }).and(page.locator(':enabled')).waitFor()
    check(!(await page.locator('.mb-notice, [role="alert"]').count()), 'a renewal after F5 signs out')
    await page.getByRole('heading', { name: 'Signed in as Ada Lovelace' }).waitFor()
    // The session that came back signs out at Mindbody too, as any other does.
    const revoked = page.waitForResponse((response) => response.url().endsWith('/usertoken/revoke'))
    await page.getByRole('button', { name: 'Sign out' }).click()
    const answer = (await revoked).status()
    check(answer < 300, `the sign-out after F5 answered ${answer}`)
    await page.getByText('You signed out.').waitFor()
  },
  'live-real-mindbody-api--live': async (page) => {
    await signInAs(page, 'a.staff.member', 'a-password')
    const alert = await page.getByRole('alert').innerText()
    check(/MINDBODY_API_KEY=your-key npm start/.test(alert), `the Live story says only: ${alert}`)
  },
}
/** The failed requests a walk causes on purpose, named as a story's `expectedFailures` names them. */
const walkCauses = {
  // The wrong password after the sign-out.
  'staff-sign-in--sign-in': ['403 POST /usertoken/issue'],
  // The static build has no proxy at /mindbody, which is what the Live story then explains.
  'live-real-mindbody-api--live': ['404 POST /mindbody/public/v6/usertoken/issue'],
}
/** No visitor is shown a bare status such as "HTTP 501". */
const bareStatus = async (page) =>
  (await page.locator('[role="alert"], [role="status"]').allInnerTexts()).filter((text) =>
    /^\s*HTTP \d{3}\b/.test(text),
  )

const failures = []
const started = Date.now()
for (const story of stories) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  const undeclared = watch(page)
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
      .getByText(RAN)
      .waitFor({ timeout: 10_000 })
      .then(async () => {
        // A fresh start shows no farewell: not "You signed out.", nor a session lost on the way.
        const farewell = await page.locator('.mb-notice').allInnerTexts()
        if (farewell.length) problems.push(`ends on a sign-out notice: ${farewell.join(' ')}`)
      })
      .catch(() => problems.push('the story did not start afresh after its test'))
  problems.push(...(await axe(page, '#storybook-root')))
  const walked = outcome === 'ok' && !!walks[story.id]
  if (walked)
    await walks[story.id](page).catch((error) => problems.push(`the visitor's walk: ${error.message}`))
  problems.push(...(await bareStatus(page)).map((text) => `shows a bare status: ${text}`))
  const declared = (await page.evaluate(() => window.__expectedFailures)) ?? {}
  const caused = walked ? (walkCauses[story.id] ?? []) : []
  problems.push(...undeclared({ ...declared, requests: [...(declared.requests ?? []), ...caused] }))
  report(`${story.title} › ${story.name}`, story.id, problems)
  await context.close()
}

/** Every story and docs page a visitor can open from the sidebar, but the Introduction itself. */
const listable = Object.values(index.entries).filter(
  (e) => e.tags.includes('dev') && e.id !== 'introduction--docs',
)
/** How the Introduction names an entry: "Staff sign-in → Sign In", or the title alone for a lone story. */
const nameOf = (entry) => (entry.name === entry.title ? entry.title : `${entry.title} → ${entry.name}`)
const pathOf = (entry) => `?path=/${entry.type}/${entry.id}`

/** The README's quick start: the first code block of its "Quick start" section. */
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const quickStart = /^## Quick start\n[\s\S]*?^```tsx\n([\s\S]*?)^```$/m.exec(readme)?.[1]
const lines = (code) =>
  code
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim()

/**
 * The Introduction's own checks: a link to every story and docs page of the build, named as the
 * sidebar names it, and none to a page the build lacks; the README's quick start, word for word; and a
 * link that takes a visitor to its story.
 */
async function introduction(page) {
  const problems = []
  const links = await page
    .locator('.sbdocs-content a[href^="?path="]')
    .evaluateAll((anchors) =>
      anchors.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })),
    )
  for (const entry of listable) {
    const link = links.find((l) => l.href === pathOf(entry))
    if (!link) problems.push(`the Introduction does not list ${nameOf(entry)}`)
    else if (link.text !== nameOf(entry))
      problems.push(`the Introduction calls ${nameOf(entry)} "${link.text}"`)
  }
  for (const link of links)
    if (!listable.some((entry) => link.href === pathOf(entry)))
      problems.push(`the Introduction links "${link.text}" to ${link.href}, which the build does not have`)
  const shown = await page.evaluate(() => {
    const heading = [...document.querySelectorAll('.sbdocs-content h2')].find(
      (h) => h.textContent === 'Quick start',
    )
    for (
      let next = heading?.nextElementSibling;
      next && next.tagName !== 'H2';
      next = next.nextElementSibling
    ) {
      const pre = next.matches('pre') ? next : next.querySelector('pre')
      if (pre) return pre.innerText
    }
    return null
  })
  if (!quickStart) problems.push('README.md has no tsx code block under "## Quick start"')
  else if (shown === null) problems.push('the Introduction shows no quick start code')
  else if (lines(shown) !== lines(quickStart))
    problems.push("the Introduction's quick start is not the README's")
  return problems
}

/** In Storybook itself, the Introduction's first story link opens that story. */
async function followFirstLink(context) {
  const page = await context.newPage()
  await page.goto(`${origin}/?path=/docs/introduction--docs`)
  const [first] = listable
  await page
    .frameLocator('#storybook-preview-iframe')
    .getByRole('link', { name: nameOf(first), exact: true })
    .click({ timeout: 60_000 })
  await page.waitForURL((url) => url.search.includes(`path=/${first.type}/${first.id}`), { timeout: 30_000 })
  await page.close()
}

// The docs pages, Introduction first: tables rendered as tables, a console free of undeclared failures,
// and axe over the whole page, where several widgets stand side by side.
const docs = Object.values(index.entries).filter((e) => e.type === 'docs' && only(e))
for (const entry of docs) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  const undeclared = watch(page)
  await page.addInitScript(listen)
  await page.goto(`${origin}/iframe.html?id=${entry.id}&viewMode=docs`)
  await page.locator('.sbdocs-content').waitFor({ timeout: 60_000 })
  await page.waitForLoadState('networkidle')
  const text = await page.locator('.sbdocs-content').innerText()
  const pipes = text.split('\n').filter((line) => /^\s*\|.*\|\s*$/.test(line))
  if (pipes.length) problems.push(`Markdown tables shown as text: ${pipes[0]}`)
  problems.push(...(await axe(page, '#storybook-docs')))
  if (entry.id === 'introduction--docs') {
    problems.push(...(await introduction(page)))
    await followFirstLink(context).catch((error) =>
      problems.push(`the Introduction's first link does not open its story: ${error.message.split('\n')[0]}`),
    )
  }
  problems.push(...undeclared(await page.evaluate(() => window.__expectedFailures)))
  report(`${entry.title} › ${entry.name} (docs)`, entry.id, problems)
  await context.close()
}
await browser.close()
server.close()

const pages = stories.length + docs.length
console.log(
  `\nbuilt Storybook: ${pages - failures.length} of ${pages} stories and docs pages passed in Chromium in ${Math.round((Date.now() - started) / 1000)} s` +
    (failures.length ? `; failed: ${failures.join(', ')}` : ''),
)
process.exit(failures.length ? 1 : 0)
