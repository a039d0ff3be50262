import { readFile, writeFile } from 'node:fs/promises'
import { defineConfig } from 'tsup'

// One build so the entries share chunks: `MindbodyError` is one class whichever entry it comes from.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'index.react-server': 'src/index.react-server.ts',
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
  // The React entry must start with 'use client' for React Server Components; esbuild drops module
  // directives when bundling, so it is put back as the very first statement of each format.
  async onSuccess() {
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      const code = (await readFile(file, 'utf8')).replaceAll("'use client';", '')
      await writeFile(file, `'use client';\n${code}`)
    }
  },
})
