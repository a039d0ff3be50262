import { defineConfig, type Options } from 'tsup'

const shared: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  target: 'es2022',
  outDir: 'dist',
}

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, clean: true, banner: { js: "'use client';" } },
  { ...shared, entry: { testing: 'src/testing/index.ts' } },
])
