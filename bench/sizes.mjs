// Bundle sizes, min+gzip by esbuild with the same peers external: this package against the
// alternatives, whose code is generated here from the project's OpenAPI file.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const generated = join(here, 'generated')
const peers = ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', 'axios']

/** The API description: shared/ beside the project, as CI lays it out. */
export const spec = [
  join(root, '../shared/mindbody-user-token.openapi.yaml'),
  join(here, 'mindbody-user-token.openapi.yaml'),
].find(existsSync)

const run = (cmd, args) =>
  execFileSync(join(root, 'node_modules/.bin', cmd), args, { cwd: here, stdio: 'pipe' })

function generate() {
  rmSync(generated, { recursive: true, force: true })
  mkdirSync(generated, { recursive: true })
  writeFileSync(
    join(generated, 'orval.config.cjs'),
    `module.exports = { mindbody: { input: ${JSON.stringify(spec)}, output: { target: './orval/endpoints.ts', client: 'react-query', httpClient: 'axios', mode: 'single' } } }`,
  )
  run('orval', ['--config', 'generated/orval.config.cjs'])
  run('openapi-typescript', [spec, '-o', 'generated/openapi/schema.d.ts'])
  writeFileSync(
    join(generated, 'openapi/hooks.ts'),
    `import createFetchClient from 'openapi-fetch'
import createClient from 'openapi-react-query'
import type { paths } from './schema'
export const $api = createClient(createFetchClient<paths>({ baseUrl: 'https://api.mindbodyonline.com' }))
export const useIssueToken = () => $api.useMutation('post', '/public/v{version}/usertoken/issue')
export const useRenewToken = () => $api.useMutation('post', '/public/v{version}/usertoken/renew')
export const useRevokeToken = () => $api.useMutation('delete', '/public/v{version}/usertoken/revoke')
`,
  )
  run('openapi-ts', [
    '-i',
    spec,
    '-o',
    'generated/hey-api',
    '-c',
    '@hey-api/client-axios',
    '-p',
    '@tanstack/react-query',
  ])
}

async function measure(contents, external = peers) {
  const { outputFiles } = await build({
    stdin: { contents, resolveDir: here, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    external,
    logLevel: 'silent',
  })
  return gzipSync(outputFiles[0].contents, { level: 9 }).length
}

/** Rows of [what, bytes, note]. */
export async function bundleSizes() {
  generate()
  const pkg = (spec) => `export ${spec} from '../dist/index.js'`
  return [
    [
      'this package: the whole root entry',
      await measure(pkg('*')),
      'token state, storage, expiry, renew, tabs, client, gate',
    ],
    [
      'this package: `MindbodyProvider` + 3 hooks',
      await measure(pkg('{ MindbodyProvider, useIssueToken, useRevokeToken, useUserToken }')),
      '',
    ],
    [
      'this package: `createUserTokenApi` from /core',
      await measure(`export { createUserTokenApi } from '../dist/core.js'`),
      'no React',
    ],
    [
      'orval-generated hooks (react-query + axios)',
      await measure(`export * from './generated/orval/endpoints'`),
      'no token state',
    ],
    [
      'openapi-react-query + openapi-fetch',
      await measure(`export * from './generated/openapi/hooks'`),
      'no token state',
    ],
    [
      "hey-api's axios client + TanStack plugin",
      await measure(`export * from './generated/hey-api/@tanstack/react-query.gen'`),
      'no token state',
    ],
    [
      "react-oidc-context's wrapper alone",
      await measure(`export * from 'react-oidc-context'`, [...peers, 'oidc-client-ts']),
      'OIDC, oidc-client-ts external',
    ],
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.table(await bundleSizes())
