// What every generator in scripts/ shares: it reads Mindbody's vendored description (api/) and writes
// one committed file, or with --check fails when that file is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The vendored description, relative to the repository. */
export const specPath = 'api/mindbody-public-api-v6.swagger.json'

/**
 * When the script at `scriptUrl` is run (not imported), writes `outPath` from `make(spec)`, or with
 * `--check` exits 1 when the committed file differs, naming `npm run <command>`.
 */
export function writeOrCheck(scriptUrl, outPath, make, command) {
  if (process.argv[1] !== fileURLToPath(scriptUrl)) return
  const root = fileURLToPath(new URL('..', scriptUrl))
  const text = make(JSON.parse(readFileSync(root + specPath, 'utf8')))
  if (!process.argv.includes('--check')) return writeFileSync(root + outPath, text)
  if (readFileSync(root + outPath, 'utf8') === text) return
  console.error(`${outPath} is stale: run npm run ${command}`)
  process.exit(1)
}
