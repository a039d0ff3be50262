// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs script, run by `npm run generate:permissions`
import { permissionsModule } from '../../scripts/generate-permissions.mjs'
import { staffPermissionNames } from '../../src/core/staffPermissions'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

describe('the staff permission names', () => {
  it('are what the generator makes of the vendored API description: the committed file is not stale', () => {
    const spec = JSON.parse(read('api/mindbody-public-api-v6.swagger.json'))
    expect(read('src/core/staffPermissions.ts')).toBe(permissionsModule(spec))
  })

  it('are the 183 names of the published enum, each once, with those a front desk needs', () => {
    expect(staffPermissionNames).toHaveLength(183)
    expect(new Set(staffPermissionNames).size).toBe(183)
    expect(staffPermissionNames).toEqual(
      expect.arrayContaining([
        'RefundSales',
        'VoidEditPastSales',
        'BookClassesAndEvents',
        'LaunchSignInScreen',
      ]),
    )
  })
})
