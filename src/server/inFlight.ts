/** One call to Mindbody that several identical requests wait for. */
interface Shared {
  /** Aborts the call once every request that waits for it has gone. */
  controller: AbortController
  waiting: number
  followers: Array<(response: Response | null) => void>
}

/** Counts `signal`'s request among those waiting for `shared`: the call drops when the last one leaves. */
function join(shared: Shared, signal: AbortSignal) {
  shared.waiting++
  signal.addEventListener('abort', () => --shared.waiting || shared.controller.abort(), { once: true })
}

/**
 * Identical calls in flight at the same moment, made once: the first with a `key` starts the call,
 * and any other with that key while it is under way gets a copy of its answer (`Response.clone`),
 * made before anyone reads it. The call is dropped only when every request waiting for it has gone.
 * A key must name one session and one call: the proxy never shares an answer between sessions.
 */
export function inFlight() {
  const calls = new Map<string, Shared>()
  return async (
    key: string,
    client: AbortSignal,
    start: (signal: AbortSignal) => Promise<Response | null>,
  ): Promise<Response | null> => {
    if (client.aborted) return start(client)
    const found = calls.get(key)
    if (found) {
      join(found, client)
      return new Promise((resolve) => found.followers.push(resolve))
    }
    const shared: Shared = { controller: new AbortController(), waiting: 0, followers: [] }
    calls.set(key, shared)
    join(shared, client)
    let response: Response | null = null
    try {
      response = await start(shared.controller.signal)
    } finally {
      if (calls.get(key) === shared) calls.delete(key)
      for (const follow of shared.followers) follow(response && response.clone())
    }
    return response
  }
}
