// Run by test/runtimes/run.mjs on workerd, Cloudflare's runtime, bundled as a Worker would be: any
// request answers, as JSON, what a browser would have seen. `env.UPSTREAM` is the stand-in's URL.
import { exercise } from './sequence.mjs'

export default {
  fetch: async (_request, env) => Response.json(await exercise(env.UPSTREAM, env.RUNTIME)),
}
