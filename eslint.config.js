import js from '@eslint/js'
import pluginQuery from '@tanstack/eslint-plugin-query'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * The rooms of src/ and the rooms each may import from: every room imports only from the rooms below
 * it. The root index files, which choose what is public, may import from any.
 */
const below = {
  core: [],
  session: ['core'],
  query: ['core', 'session'],
  react: ['core', 'query', 'session'],
  server: ['core'],
  testing: ['core', 'session'],
}
/** Packages a room may not use: React stays in react/, TanStack out of core/. */
const packages = {
  core: ['react', 'react-dom', '@tanstack/*'],
  query: ['react', 'react-dom'],
  session: ['react', 'react-dom', '@tanstack/*'],
  server: ['react', 'react-dom', '@tanstack/*', 'axios'],
}
const rooms = Object.keys(below)
const roomRules = Object.entries(below).map(([room, allowed]) => ({
  files: [`src/${room}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^\\.\\.?/(?:\\.\\./)*(?:${rooms.filter((r) => r !== room && !allowed.includes(r)).join('|')})(?:/|$)`,
            message: `src/${room}/ imports only from ${allowed.length ? allowed.map((r) => `src/${r}/`).join(', ') : 'itself'}: the rooms below it.`,
          },
          {
            regex: `^\\.\\.?/(?:\\.\\./)*(?:${rooms.join('|')}|index)$|/index$`,
            message: 'Import the file that holds the export: the root index files are the only barrels.',
          },
          ...(packages[room]
            ? [{ group: packages[room], message: `src/${room}/ does not use ${packages[room].join(', ')}.` }]
            : []),
        ],
      },
    ],
  },
}))

export default tseslint.config(
  {
    ignores: [
      'dist',
      'storybook-static',
      'docs/api',
      'node_modules',
      '.bench',
      'coverage',
      'public',
      'test/consumer/app',
      'bench/generated',
      '.screenshots',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat['recommended-latest'] ?? reactHooks.configs['recommended-latest'],
  ...pluginQuery.configs['flat/recommended'],
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: globals.node } },
  // Browser test drivers: Node scripts whose page.evaluate callbacks run in the page.
  {
    files: ['test/*/run.mjs', 'test/consumer/widgets.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  ...roomRules,
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx'] })],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
)
