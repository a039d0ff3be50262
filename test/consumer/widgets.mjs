// The README's embedding recipe in the fresh consumer app: the custom element and its Vite config copied
// from the README, built as one script, and again as a second script with its own copy of the library
// (another tag), put on a static host page with no React of its own, and driven in Chromium.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** The README's code block that starts with `firstLine`. */
export function block(readme, firstLine) {
  const found = readme.split('```').find((part) => part.replace(/^\w+\n/, '').startsWith(firstLine))
  if (!found) throw new Error(`README.md has no code block starting with ${firstLine}`)
  return found.replace(/^\w+\n/, '')
}

/** Writes the recipe's files into `work`, and a second copy of it named `mb-staff-card`. Run before tsc. */
export function writeWidgetRecipe(work, readme) {
  const widget = block(readme, '// src/staff-widget.tsx')
  const config = block(readme, '// vite.widget.config.ts')
  writeFileSync(join(work, 'src/staff-widget.tsx'), widget)
  writeFileSync(join(work, 'vite.widget.config.ts'), config)
  const card = (text) =>
    text.replaceAll('mb-staff-widget', 'mb-staff-card').replaceAll('staff-widget', 'staff-card')
  writeFileSync(join(work, 'src/staff-card.tsx'), card(widget))
  writeFileSync(join(work, 'vite.card.config.ts'), card(config).replace("'dist-widget'", "'dist-card'"))
  // The host page's mock Mindbody: MSW in the page, as the README's quick start serves it.
  writeFileSync(
    join(work, 'src/widget-mock.ts'),
    `import { setupWorker } from 'msw/browser'
import { createMockMindbody } from 'react-mindbody-user-token/testing'

;(window as unknown as { mockReady: Promise<unknown> }).mockReady = setupWorker(...createMockMindbody().handlers).start({
  onUnhandledRequest: 'bypass',
  quiet: true,
})
`,
  )
  writeFileSync(
    join(work, 'vite.mock.config.ts'),
    `import { defineConfig } from 'vite'
export default defineConfig({
  build: { outDir: 'dist-mock', lib: { entry: 'src/widget-mock.ts', formats: ['es'], fileName: () => 'widget-mock.js' } },
})
`,
  )
}

/** Builds the two widget scripts and the host page into `widget-host/`; returns that folder. */
export function buildWidgetHost(work, run) {
  for (const config of ['vite.widget.config.ts', 'vite.card.config.ts', 'vite.mock.config.ts'])
    run('npx', ['vite', 'build', '-c', config, '--logLevel', 'warn'])
  const host = join(work, 'widget-host')
  mkdirSync(host, { recursive: true })
  copyFileSync(join(work, 'dist-widget/mb-staff-widget.js'), join(host, 'mb-staff-widget.js'))
  copyFileSync(join(work, 'dist-card/mb-staff-card.js'), join(host, 'mb-staff-card.js'))
  copyFileSync(join(work, 'dist-mock/widget-mock.js'), join(host, 'widget-mock.js'))
  copyFileSync(join(work, 'public/mockServiceWorker.js'), join(host, 'mockServiceWorker.js'))
  for (const script of ['mb-staff-widget.js', 'mb-staff-card.js']) {
    const code = readFileSync(join(host, script))
    if (!code.includes('react-mindbody-user-token/page@2'))
      throw new Error(`${script} does not hold its own copy of the library`)
    console.log(
      `${script}: ${code.length} B, ${gzipSync(code).length} B gzipped (React, React Query, axios and the library)`,
    )
  }
  writeFileSync(
    join(host, 'index.html'),
    `<!doctype html>
<html lang="en">
  <head><meta charset="UTF-8" /><link rel="icon" href="data:," /><title>A studio's website</title></head>
  <body>
    <h1>A studio's website, with no React of its own</h1>
    <mb-staff-widget id="front" site="-99" base-url="/mindbody"></mb-staff-widget>
    <mb-staff-widget id="back" site="-99" base-url="/mindbody"></mb-staff-widget>
    <mb-staff-widget id="shadowed" site="-99" base-url="/mindbody" shadow></mb-staff-widget>
    <mb-staff-widget id="other-site" site="-98" base-url="/mindbody"></mb-staff-widget>
    <mb-staff-card id="card" site="-99" base-url="/mindbody"></mb-staff-card>
    <script type="module" src="/widget-mock.js"></script>
    <script type="module" src="/mb-staff-widget.js"></script>
    <script type="module" src="/mb-staff-card.js"></script>
  </body>
</html>
`,
  )
  return host
}

/** Signs in by keyboard in one widget, sees every widget of the site follow, signs out in the other copy. */
export async function driveWidgets(browser, url) {
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
  const calls = []
  page.on(
    'request',
    (request) => /\/usertoken\/(issue|revoke)$/.test(request.url()) && calls.push(request.url()),
  )
  await page.goto(url)
  await page.waitForFunction(() => window.mockReady)
  await page.evaluate(() => window.mockReady)
  if (await page.evaluate(() => 'React' in window || 'ReactDOM' in window))
    throw new Error('the host page has React')

  const signedIn = ['#front', '#back', '#shadowed', '#card']
  await page.locator('#front').getByLabel('Username').fill('demo.staff')
  await page.locator('#front').getByLabel('Password').fill('demo-password')
  await page.locator('#front').getByLabel('Password').press('Enter')
  for (const id of signedIn) await page.locator(id).getByText('Signed in as Ada').waitFor()
  if (!(await page.evaluate(() => !!document.querySelector('#shadowed').shadowRoot?.querySelector('p'))))
    throw new Error('the shadow widget did not render inside its shadow root')
  if ((await page.locator('#other-site').getByLabel('Username').count()) !== 1)
    throw new Error('the widget of another site followed the sign-in')

  await page.locator('#card').getByRole('button', { name: 'Sign out' }).click()
  for (const id of signedIn) await page.locator(id).getByLabel('Username').waitFor()
  const issued = calls.filter((u) => u.endsWith('/issue')).length
  const revoked = calls.filter((u) => u.endsWith('/revoke')).length
  if (issued !== 1 || revoked !== 1)
    throw new Error(`expected 1 issue and 1 revoke call, saw ${issued} and ${revoked}`)
  if (errors.length) throw new Error(`console errors on the host page:\n${errors.join('\n')}`)
  await page.close()
}
