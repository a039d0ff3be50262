import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'
import { ROUTES } from './routeTable'

/** The answer to a call: its route's checks in order, then the route's own answer. */
export async function answerCall(context: ProxyContext, call: ProxyCall): Promise<Response> {
  const route = ROUTES.find(({ path }) =>
    typeof path === 'string' ? path === call.path : path.test(call.path),
  )!
  for (const check of route.checks) {
    const refusal = await check(context, call, route)
    if (refusal) return refusal
  }
  return route.handle(context, call, route)
}
