import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs script, run by `npm run generate:routes`
import { routesModule } from '../../scripts/generate-routes.mjs'
import { mindbodyRoutes } from '../../src/server/observe/mindbodyRoutes'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

describe("the proxy's route names", () => {
  it('are what the generator makes of the vendored API description: the committed file is not stale', () => {
    const spec = JSON.parse(read('api/mindbody-public-api-v6.swagger.json'))
    expect(read('src/server/observe/mindbodyRoutes.ts')).toBe(routesModule(spec))
  })

  it("are Mindbody's 141 published paths, in lower case but for their parameters", () => {
    expect(mindbodyRoutes).toHaveLength(141)
    expect(mindbodyRoutes).toEqual(
      expect.arrayContaining([
        '/usertoken/issue',
        '/staff/staffpermissions',
        '/pickaspot/v1/class/{classId}',
      ]),
    )
  })
})
