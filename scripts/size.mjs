// `npm run size`: size-limit's checks (.size-limit.cjs), then the one budget size-limit cannot state, a
// difference: the typed client and its factories cost at most 500 B min+gzip beyond `useMindbodyClient`
// (issue 32), whatever number of Mindbody's endpoints an app calls, for its types cost nothing at run time.
import { execFileSync } from 'node:child_process'

const BUDGET = 500
const run = () => {
  try {
    // esbuild's warnings about the shared chunks' bare imports are noise here; a failure shows them.
    return execFileSync('npx', ['size-limit', '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (failed) {
    if (!failed.stdout?.trim().startsWith('[')) throw failed
    return failed.stdout
  }
}
const results = JSON.parse(run())
for (const { name, size, passed } of results)
  console.log(`${passed ? 'ok  ' : 'OVER'} ${String(size).padStart(6)} B  ${name}`)
const sizeOf = (name) => results.find((r) => r.name === name)?.size
const client = sizeOf('{ MindbodyProvider, useMindbodyClient }')
const typed = sizeOf(
  '{ MindbodyProvider, useMindbodyClient, useMindbodyApi, mindbodyQueryOptions, mindbodyMutationOptions }',
)
if (client === undefined || typed === undefined)
  throw new Error('.size-limit.cjs lacks the typed client checks')
const beyond = typed - client
console.log(
  `${beyond <= BUDGET ? 'ok  ' : 'OVER'} ${String(beyond).padStart(6)} B  the typed client and its factories beyond useMindbodyClient (budget ${BUDGET} B)`,
)
if (results.some((r) => !r.passed) || beyond > BUDGET) process.exit(1)
