// Package checks a consumer relies on, run on the built dist/ (npm run build first):
// both module systems load every entry, they share one MindbodyError, the React entry starts with
// 'use client', and the core entry pulls in no React at all.
import { strict as assert } from 'node:assert'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { build } from 'esbuild'

const require = createRequire(import.meta.url)
const root = new URL('../../', import.meta.url)
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'))

for (const entry of ['', '/core', '/testing', '/server']) {
  const esm = await import(`${pkg.name}${entry}`)
  const cjs = require(`${pkg.name}${entry}`)
  assert.deepEqual(
    Object.keys(esm).sort(),
    Object.keys(cjs).sort(),
    `ESM and CJS export the same names from ${entry || '.'}`,
  )
}
const [esmRoot, esmCore] = await Promise.all([import(pkg.name), import(`${pkg.name}/core`)])
assert.equal(esmRoot.MindbodyError, esmCore.MindbodyError, 'one MindbodyError class across ESM entries')
assert.equal(
  require(pkg.name).MindbodyError,
  require(`${pkg.name}/core`).MindbodyError,
  'and across CJS entries',
)

for (const file of ['dist/index.js', 'dist/index.cjs']) {
  const code = await readFile(new URL(file, root), 'utf8')
  assert.ok(code.startsWith("'use client';"), `${file} starts with 'use client'`)
}

// The package as installed, resolved by its exports, not by this repository's tsconfig paths to src/.
const noPaths = new URL('../../dist/.check-tsconfig.json', import.meta.url)
await writeFile(noPaths, '{}')
const { outputFiles } = await build({
  tsconfig: noPaths.pathname,
  stdin: { contents: `export { createUserTokenApi } from '${pkg.name}/core'`, resolveDir: root.pathname },
  bundle: true,
  write: false,
  format: 'esm',
  external: ['axios'],
  logLevel: 'silent',
})
assert.doesNotMatch(
  outputFiles[0].text,
  /from ["']react|require\(["']react|@tanstack/,
  'the core entry pulls in no React',
)
// The react-server condition: the React-free part of the root, with the same error class as /core.
// A bundler under the react-server condition turns every 'use client' file into a client reference
// and never runs it; these builds do the same, then load what a server component gets.
const clientReference = (format) => ({
  name: 'client-references',
  setup(b) {
    b.onLoad({ filter: /\.(c?js)$/ }, async ({ path }) => {
      const code = await readFile(path, 'utf8')
      if (!code.startsWith("'use client';")) return undefined
      const names = ['MindbodyProvider', 'UserTokenGate']
      return {
        contents: names
          .map((name) => (format === 'esm' ? `export const ${name} = {}` : `exports.${name} = {}`))
          .join('\n'),
      }
    })
  },
})
/** What a server component sees of the root: its names, and whether its error class is /core's. */
const probes = {
  esm: `import * as root from '${pkg.name}'
import * as core from '${pkg.name}/core'
export const names = Object.keys(root).sort().join(' ')
export const oneErrorClass = root.MindbodyError === core.MindbodyError`,
  cjs: `const root = require('${pkg.name}')
const core = require('${pkg.name}/core')
exports.names = Object.keys(root).sort().join(' ')
exports.oneErrorClass = root.MindbodyError === core.MindbodyError`,
}
for (const format of ['esm', 'cjs']) {
  const bundled = await build({
    tsconfig: noPaths.pathname,
    stdin: {
      contents: probes[format],
      resolveDir: root.pathname,
    },
    bundle: true,
    write: false,
    format,
    platform: 'node',
    conditions: ['react-server'],
    external: ['axios'],
    metafile: true,
    logLevel: 'silent',
    plugins: [clientReference(format)],
  })
  const imports = Object.values(bundled.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path))
  assert.ok(
    !imports.some((path) => /(^|\/)react(-dom)?(\/|$)|@tanstack/.test(path)),
    `the react-server root (${format}) runs no React outside its client references: ${imports.join(', ')}`,
  )
  const file = new URL(`../../dist/.react-server-check.${format === 'esm' ? 'mjs' : 'cjs'}`, import.meta.url)
  await writeFile(file, bundled.outputFiles[0].text)
  const { names, oneErrorClass } = format === 'esm' ? await import(file) : require(file.pathname)
  await rm(file)
  assert.equal(
    names,
    'MindbodyError MindbodyProvider UserTokenGate createUserTokenApi isMindbodyError userTokenKeys',
    `the root entry under react-server (${format}): the React-free part and two client references`,
  )
  assert.ok(oneErrorClass, `one MindbodyError under react-server (${format})`)
}
await rm(noPaths)
const clientFile = pkg.exports['.'].import.default.replace('index.js', 'index.client.js')
for (const file of [clientFile, clientFile.replace(/\.js$/, '.cjs')]) {
  const code = await readFile(new URL(file, root), 'utf8')
  assert.ok(code.startsWith("'use client';"), `${file}, the client references, starts with 'use client'`)
}

const server = await build({
  entryPoints: [new URL(pkg.exports['./server'].import.default, root).pathname],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  metafile: true,
  logLevel: 'silent',
})
const imported = Object.values(server.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path))
assert.ok(
  !imported.some((path) => /^(react|react-dom|axios|@tanstack\/)/.test(path)),
  `the server entry imports no React and no axios: ${imported.join(', ')}`,
)
// Importing /server loads no Node module (Workers and Deno import it too): Node's own HTTP client and
// @remix-run/node-fetch-server come in a chunk that toNodeHandler loads when first called.
const loadedAtImport = new Set()
const visit = (path, seen = new Set([path])) => {
  for (const { path: next, kind, external } of server.metafile.inputs[path]?.imports ?? []) {
    if (kind === 'dynamic-import') continue
    if (external) loadedAtImport.add(next)
    else if (!seen.has(next)) visit(next, seen.add(next))
  }
}
visit(Object.keys(server.metafile.inputs).find((path) => path.endsWith('dist/server.js')))
assert.ok(
  ![...loadedAtImport].some((path) => /^node:|node-fetch-server/.test(path)),
  `importing the server entry loads only ${[...loadedAtImport].join(', ')}`,
)
assert.ok(imported.includes('node:https'), "toNodeHandler's chunk is in the build")
// The /testing entry goes into browser bundles (the README's development set-up, Storybook), so it
// imports no Node module, even lazily: serveMockMindbody takes node:http from Node at run time.
const testing = await build({
  entryPoints: [new URL(pkg.exports['./testing'].import.default, root).pathname],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  packages: 'external',
  metafile: true,
  logLevel: 'silent',
})
const testingImports = Object.values(testing.metafile.inputs).flatMap((input) =>
  input.imports.map((i) => i.path),
)
assert.ok(
  !testingImports.some((path) => /^node:|node-fetch-server/.test(path)),
  `the testing entry imports no Node module: ${testingImports.join(', ')}`,
)
// And on Node, serveMockMindbody serves the mock from either build.
for (const { serveMockMindbody } of [await import(`${pkg.name}/testing`), require(`${pkg.name}/testing`)]) {
  const mock = await serveMockMindbody()
  const issued = await fetch(`${mock.url}/public/v6/usertoken/issue`, {
    method: 'POST',
    headers: { SiteId: '-99', 'Content-Type': 'application/json' },
    body: JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' }),
  })
  assert.equal(issued.status, 200, 'serveMockMindbody signs in the demo account')
  await mock.close()
}
console.log(
  'package checks passed: ESM and CJS entries, one error class, use client, a React-free core and react-server root, a server entry without React or axios that loads no Node module until toNodeHandler, a testing entry with no Node module that serves the mock on Node',
)
