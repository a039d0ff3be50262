// Package checks a consumer relies on, run on the built dist/ (npm run build first):
// both module systems load every entry, they share one MindbodyError, the React entry starts with
// 'use client', and the core entry pulls in no React at all.
import { strict as assert } from 'node:assert'
import { readFile } from 'node:fs/promises'
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

const { outputFiles } = await build({
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
console.log(
  'package checks passed: ESM and CJS entries, one error class, use client, a React-free core, a server entry without React or axios',
)
