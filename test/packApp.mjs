// For the app tests (test:consumer, test:next): a fresh app in `work`, as a new user would start it.
import { execFileSync } from 'node:child_process'
import { cpSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

/**
 * Packs the library into `work`, copies the app template `template` there and, given a `name`, gives
 * it a package.json of that name (without one, the app keeps its own); returns the tarball's file
 * name, to install.
 */
export function packApp(template, work, name) {
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
    cwd: root,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop()
  cpSync(template, work, { recursive: true })
  if (name)
    writeFileSync(
      join(work, 'package.json'),
      JSON.stringify({ name, private: true, type: 'module' }, null, 2),
    )
  return tarball
}
