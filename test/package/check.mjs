// Package checks a consumer relies on, run on the built dist/ (npm run build first):
// both module systems load every entry, they share one MindbodyError, the React entry starts with
// 'use client', and the core entry pulls in no React at all.
import { strict as assert } from 'node:assert'
import { readFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
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
// The react-server condition: the React-free part of the root, with the same error class as /core.
for (const type of ['module', 'commonjs']) {
  const load =
    type === 'module'
      ? `const root = await import('${pkg.name}'); const core = await import('${pkg.name}/core')`
      : `const root = require('${pkg.name}'); const core = require('${pkg.name}/core')`
  const names = execFileSync(
    process.execPath,
    [
      '--conditions=react-server',
      `--input-type=${type}`,
      '-e',
      `(async () => { ${load}; if (root.MindbodyError !== core.MindbodyError) throw new Error('two error classes'); console.log(Object.keys(root).sort().join(' ')) })()`,
    ],
    { cwd: root.pathname, encoding: 'utf8' },
  ).trim()
  assert.equal(
    names,
    'MindbodyError createUserTokenApi isMindbodyError userTokenKeys',
    `the root entry under react-server (${type}) is the React-free part`,
  )
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
console.log(
  'package checks passed: ESM and CJS entries, one error class, use client, a React-free core and react-server root, a server entry without React or axios',
)
