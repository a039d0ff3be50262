import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'

/** Debian's Chromium, never a downloaded browser. */
const chromium = playwright({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  },
})
const inChromium = (name: string) => ({
  enabled: true,
  headless: true,
  provider: chromium,
  instances: [{ browser: 'chromium' as const, name: `${name} in Chromium` }],
})

export default defineConfig({
  // The README's examples import the package by name; in this repository that is the source.
  resolve: {
    alias: [{ find: /^react-mindbody-user-token(?:\/(core|testing|server))?$/, replacement: '/src/$1' }],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/browser/**', 'test/server/**'],
          setupFiles: ['test/setup.ts'],
          typecheck: { enabled: true, include: ['test/**/*.test-d.{ts,tsx}'], tsconfig: './tsconfig.json' },
        },
      },
      {
        // The /server proxy over real sockets, in Node, with no MSW in the way.
        extends: true,
        test: { name: 'server', environment: 'node', include: ['test/server/**/*.test.ts'] },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir: '.storybook' })],
        // The Front desk story waits out a 20-second idle warning, as a visitor would.
        test: { name: 'stories', browser: inChromium('stories'), testTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          browser: inChromium('browser'),
          include: ['test/browser/**/*.test.{ts,tsx}'],
          // composeStories needs the project annotations that addon-vitest applies only to stories.
          setupFiles: ['.storybook/vitest.setup.ts'],
        },
      },
    ],
  },
})
