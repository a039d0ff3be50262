// Run by test/runtimes/run.mjs on Deno and Bun, with the stand-in's URL as the first argument: prints
// one JSON line of what a browser would have seen.
import { exercise } from './sequence.mjs'

const upstream = (globalThis.Deno?.args ?? process.argv.slice(2))[0]
const runtime = globalThis.Deno ? `Deno ${globalThis.Deno.version.deno}` : `Bun ${globalThis.Bun?.version}`
console.log(JSON.stringify(await exercise(upstream, runtime)))
