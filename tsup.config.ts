import { defineConfig } from 'tsup'

const shared = { format: ['esm', 'cjs'], dts: true, sourcemap: true, target: 'es2020', outDir: 'dist' } as const

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, clean: true, banner: { js: "'use client';" } },
  { ...shared, entry: { testing: 'src/testing/index.ts' } },
])
