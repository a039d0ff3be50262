/**
 * How `toNodeHandler` gives a proxy Node's faster upstream: each proxy (the handler `createMindbodyProxy`
 * returns) keeps here the function that sets the `fetch` its upstream calls use when its options give
 * none. Keyed by the handler as an object, so this file imports nothing.
 */
export const preferredUpstreams = new WeakMap<object, (upstream: typeof fetch) => void>()
