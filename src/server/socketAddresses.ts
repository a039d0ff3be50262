import type { ClientAddress } from './proxyOptions'

/**
 * The socket each request came in on, as `toNodeHandler` saw it, for `clientIp`. Kept beside the
 * Request rather than passed as an argument, since every runtime passes its own second argument to a
 * handler (Next.js its route params, Workers the env, Deno its connection info).
 */
export const socketAddresses = new WeakMap<Request, ClientAddress>()
