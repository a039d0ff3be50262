import type { ClientAddress } from '../proxyOptions'

/**
 * The one way `toNodeHandler` reaches the proxy: `createMindbodyProxy` puts a `NodeSeam` on its
 * handler under this symbol, and only `server/node/` reads it. It is not part of the public
 * `MindbodyProxy` type. The socket's address travels as an argument rather than beside the Request,
 * since every runtime passes its own second argument to a handler (Next.js its route params, Workers
 * the env, Deno its connection info), which the public handler ignores.
 */
export const NODE = Symbol('react-mindbody-user-token/node')

/** What the Node adapter may do with a proxy. */
export interface NodeSeam {
  /** Answers `request`, with the socket's address for `clientIp`. */
  handle(request: Request, client: ClientAddress): Promise<Response>
  /** Sets the `fetch` upstream calls use when the options give none: Node's own client. */
  prefer(upstream: typeof fetch): void
}

/** The seam of a handler `createMindbodyProxy` made; `undefined` for any other function. */
export const seamOf = (proxy: object): NodeSeam | undefined => (proxy as { [NODE]?: NodeSeam })[NODE]
