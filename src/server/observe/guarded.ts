/**
 * `methods` with each one made safe: what one throws is dropped and it answers `undefined`. The app's
 * `@opentelemetry/api` is the app's code: a span or counter that throws must never change an answer,
 * fail a request with 500, or lose a token Mindbody has just issued.
 */
export function guarded<T extends Record<string, (...args: never[]) => unknown>>(methods: T): T {
  const safe = {} as Record<string, unknown>
  for (const [name, method] of Object.entries(methods))
    safe[name] = (...args: never[]) => {
      try {
        return method(...args)
      } catch {
        return undefined
      }
    }
  return safe as T
}
