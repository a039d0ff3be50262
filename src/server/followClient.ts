/**
 * An abort signal for a call to Mindbody that follows the browser's: it aborts when `client` does (or
 * has) and when `ms` have passed. `release` stops following the client, `stop` stops the clock.
 */
export function followClient(client: AbortSignal | undefined, ms: number) {
  const controller = new AbortController()
  const drop = () => controller.abort()
  const timer = setTimeout(drop, ms)
  client?.addEventListener('abort', drop)
  if (client?.aborted) drop()
  return {
    signal: controller.signal,
    release: () => client?.removeEventListener('abort', drop),
    stop: () => clearTimeout(timer),
  }
}
