import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'

/** A check a route asks for before its answer: a refusal, or `undefined` to let the call on. */
export type Check = (
  context: ProxyContext,
  call: ProxyCall,
  route: Route,
) => Response | undefined | Promise<Response | undefined>

/** One route of the proxy: which calls it answers, what it checks first (in order), and its answer. */
export interface Route {
  /** The canonical path below `basePath`, exactly, or a pattern for it. */
  path: string | RegExp
  /** The one method it answers, when it has one (checked by `method`). */
  method?: string
  checks: Check[]
  handle(context: ProxyContext, call: ProxyCall, route: Route): Response | Promise<Response>
}
