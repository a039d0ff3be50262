import type { MindbodyProxy } from './createMindbodyProxy'

/**
 * How `toNodeHandler` gives a proxy Node's faster upstream: each proxy keeps here the function that
 * sets the `fetch` its upstream calls use when its options give none.
 */
export const preferredUpstreams = new WeakMap<MindbodyProxy, (upstream: typeof fetch) => void>()
