// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs script, run by `npm run generate:api`
import { apiModule } from '../../scripts/generate-api.mjs'
// @ts-expect-error -- a plain .mjs script, which generate-api.mjs runs
import { fixDescription, operationsOf } from '../../scripts/fixDescription.mjs'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const served = JSON.parse(read('api/mindbody-public-api-v6.swagger.json'))
interface Parameter {
  name: string
  in: string
}
interface Operation {
  path: string
  method: string
  operation: { operationId: string; parameters: Parameter[]; responses: Record<string, unknown> }
}
const operations: Operation[] = operationsOf(fixDescription(served))

describe("the types of Mindbody's API", () => {
  it('are what the generator makes of the vendored description: the committed file is not stale', () => {
    expect(read('src/core/mindbodyPaths.ts')).toBe(apiModule(served))
  })

  it('cover the 149 operations of the fixed description, each with its own operationId', () => {
    expect(operations).toHaveLength(149)
    expect(new Set(operations.map((o) => o.operation.operationId)).size).toBe(149)
    const waitlists = operations.filter((o) => o.operation.operationId.startsWith('RemoveFromWaitlist'))
    expect(waitlists.map((o) => `${o.method} ${o.path} ${o.operation.operationId}`)).toEqual([
      'delete /appointment/appointmentfromwaitlist RemoveFromWaitlist',
      'post /class/removefromwaitlist RemoveFromWaitlistClass',
    ])
  })

  it('leave the version, the site and the token to the library, and give every operation its error', () => {
    const parameters = operations.flatMap((o) => o.operation.parameters)
    expect(parameters.filter((p) => p.in === 'header')).toEqual([])
    expect(parameters.filter((p) => p.name.toLowerCase() === 'version')).toEqual([])
    expect(operations.every((o) => 'default' in o.operation.responses)).toBe(true)
  })

  it('name every type by a short name, none with a .NET namespace or generic', () => {
    const names = Object.keys(fixDescription(served).definitions)
    expect(names).toHaveLength(386)
    expect(names.filter((name) => !/^[A-Za-z]\w{0,60}$/.test(name))).toEqual([])
    expect(names).toEqual(expect.arrayContaining(['Class', 'Staff', 'CommonStaff', 'ErrorAnswer']))
    expect(names).toContain('KeyValuePairOfStringAndIEnumerableOfString')
  })
})
