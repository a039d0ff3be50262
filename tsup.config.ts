import { readFile, writeFile } from 'node:fs/promises'
import { defineConfig } from 'tsup'

/** Entries that must start with 'use client' for React Server Components. */
const clientEntries = ['index', 'index.client']

// One build so the entries share chunks: `MindbodyError` is one class whichever entry it comes from,
// and the provider a server component renders shares its context with the hooks.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'index.react-server': 'src/index.react-server.ts',
    'index.client': 'src/index.client.ts',
    core: 'src/core/index.ts',
    testing: 'src/testing/index.ts',
    server: 'src/server/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: true,
  target: 'es2022',
  clean: true,
  // Keep `node:` in imports, as Deno and Workers need them.
  removeNodeProtocol: false,
  esbuildPlugins: [
    {
      // The react-server root imports its client components from the built 'use client' file, never
      // from a shared chunk, where the directive would be lost.
      name: 'client-references',
      setup(build) {
        const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js'
        build.onResolve({ filter: /^\.\/index\.client$/ }, () => ({
          path: `./index.client${extension}`,
          external: true,
        }))
      },
    },
  ],
  // esbuild drops module directives when bundling, so 'use client' is put back as the very first
  // statement of each client entry, in each format.
  async onSuccess() {
    for (const name of clientEntries)
      for (const file of [`dist/${name}.js`, `dist/${name}.cjs`]) {
        const code = (await readFile(file, 'utf8')).replaceAll("'use client';", '')
        await writeFile(file, `'use client';\n${code}`)
      }
  },
})
