// @vitest-environment node
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { ESLint } from 'eslint'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * The rooms of src/ and their direction, as the lint enforces them: these lint a file placed in a
 * room, as a contributor would write it, and read what ESLint says.
 */
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname })
/** The room rules a file breaks: the direction and barrels (no-restricted-imports), and cycles. */
const rulesBroken = async (filePath: string, code: string) =>
  (await eslint.lintText(code, { filePath }))[0]!.messages
    .map((m) => m.ruleId)
    .filter((rule) => rule === 'no-restricted-imports' || rule === 'import-x/no-cycle')

describe('the rooms of src/', () => {
  it.each([
    ['src/core/wrongWay.ts', "import { useUserToken } from '../react/useUserToken'"],
    ['src/core/wrongWay.ts', "import { getToken } from '../query/userTokenQueryOptions'"],
    ['src/session/wrongWay.ts', "import { getToken } from '../query/userTokenQueryOptions'"],
    ['src/session/wrongWay.ts', "import { hashKey } from '@tanstack/react-query'"],
    ['src/session/wrongWay.ts', "import { useMindbodyContext } from '../react/MindbodyContext'"],
    ['src/server/wrongWay.ts', "import { resolveStorage } from '../session/userTokenStorage'"],
    ['src/core/wrongWay.ts', "import { useState } from 'react'"],
    ['src/core/wrongWay.ts', "import { hashKey } from '@tanstack/react-query'"],
    ['src/session/wrongWay.ts', "import { useEffect } from 'react'"],
    ['src/query/wrongWay.ts', "import { MindbodyError } from '../core'"],
  ])('refuses, in %s: %s', async (filePath, line) => {
    expect(await rulesBroken(filePath, `${line}\nexport const x = 1\n`)).toContain('no-restricted-imports')
  })

  it.each([
    ['src/query/rightWay.ts', "import { MindbodyError } from '../core/MindbodyError'"],
    ['src/react/rightWay.ts', "import { useEffect } from 'react'"],
    ['src/query/rightWay.ts', "import type { TokenSession } from '../session/createTokenSession'"],
  ])('accepts, in %s: %s', async (filePath, line) => {
    expect(await rulesBroken(filePath, `${line}\nexport const x = 1\n`)).toEqual([])
  })

  it('refuses an import cycle', async () => {
    const a = new URL('../src/core/cycleFixtureA.ts', import.meta.url)
    const b = new URL('../src/core/cycleFixtureB.ts', import.meta.url)
    const codeA = "import { b } from './cycleFixtureB'\nexport const a = () => b\n"
    try {
      await writeFile(a, codeA)
      await writeFile(b, "import { a } from './cycleFixtureA'\nexport const b = () => a\n")
      expect(await rulesBroken(a.pathname, codeA)).toContain('import-x/no-cycle')
    } finally {
      await Promise.all([rm(a), rm(b)])
    }
  })
})

/** Every file of src/ and the src/ files it imports, type-only imports included. */
function importGraph(root: string) {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => join(root, file))
  const resolve = (from: string, spec: string) =>
    ['.ts', '.tsx', '/index.ts']
      .map((ext) => join(dirname(from), spec) + ext)
      .find((file) => existsSync(file))
  return new Map(
    files.map((file) => [
      file,
      [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g)].map(([, spec]) => resolve(file, spec!)!),
    ]),
  )
}

describe('the import graph of src/', () => {
  it('has no cycle, counting type-only imports too', () => {
    const root = new URL('../src', import.meta.url).pathname
    const graph = importGraph(root)
    const cycles: string[] = []
    const done = new Set<string>()
    const visit = (file: string, path: string[]) => {
      if (path.includes(file))
        return void cycles.push(
          [...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(' → '),
        )
      if (done.has(file)) return
      for (const next of graph.get(file) ?? []) visit(next, [...path, file])
      done.add(file)
    }
    for (const file of graph.keys()) visit(file, [])
    expect(cycles).toEqual([])
    expect(graph.size).toBeGreaterThan(40)
  })
})

/** Every .ts and .tsx file of src/, parsed. */
function sourceFiles() {
  const root = new URL('../src', import.meta.url).pathname
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => {
      const text = readFileSync(join(root, file), 'utf8')
      return { file, text, ast: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true) }
    })
}

describe('the size of the parts of src/', () => {
  const files = sourceFiles()

  it('has no file over 150 lines, but for the files a script generates from the API description', () => {
    const written = files.filter(({ text }) => !text.startsWith('// Generated by scripts/'))
    const long = written.map(({ file, text }) => [file, text.trimEnd().split('\n').length] as const)
    expect(long.filter(([, lines]) => lines > 150)).toEqual([])
  })

  it('has no function over 60 lines, from its first line to its last, inner functions included', () => {
    const long: string[] = []
    for (const { file, ast } of files) {
      const lineOf = (pos: number) => ast.getLineAndCharacterOfPosition(pos).line
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const lines = lineOf(node.end) - lineOf(node.getStart(ast)) + 1
          if (lines > 60) long.push(`${file}:${lineOf(node.getStart(ast)) + 1} (${lines} lines)`)
        }
        ts.forEachChild(node, visit)
      }
      visit(ast)
    }
    expect(long).toEqual([])
  })

  it('keeps no Map or WeakMap at module level in src/server/: state goes through signatures', () => {
    const found = files
      .filter(({ file }) => file.startsWith('server'))
      .flatMap(({ file, ast }) =>
        ast.statements
          .filter(ts.isVariableStatement)
          .flatMap((s) => s.declarationList.declarations)
          .filter((d) => d.initializer && /^new (Weak)?Map\b/.test(d.initializer.getText(ast)))
          .map((d) => `${file}: ${d.name.getText(ast)}`),
      )
    expect(found).toEqual([])
  })
})
