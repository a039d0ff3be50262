/**
 * Where the proxy counts sign-in attempts: `hit` adds one to `key` and answers how many there have
 * been in the current window of `windowMs`; `reset` (optional) forgets `key`, after a successful
 * sign-in. Share one store between instances, e.g. in Redis, so that all of them share the limits.
 *
 * @example
 * const limitStore: LimitStore = {
 *   hit: async (key, windowMs) => redis.eval(INCR_AND_PEXPIRE, 1, key, windowMs),
 *   reset: async (key) => void (await redis.del(key)),
 * }
 */
export interface LimitStore {
  /** Counts one attempt under `key` and answers how many there have been in the current window. */
  hit(key: string, windowMs: number): Promise<number>
  /** Forgets `key`'s attempts; called after a successful sign-in. */
  reset?(key: string): Promise<void>
}

/**
 * The default store: fixed windows in this process's memory, swept as they lapse. One process only:
 * with several instances, give them a shared store.
 *
 * @example
 * const limitStore = memoryLimitStore()
 * await limitStore.hit('signin:-99:<hash>', 15 * 60_000) // 1
 */
export function memoryLimitStore(): LimitStore {
  const windows = new Map<string, { count: number; ends: number }>()
  let sweep = 0
  return {
    async hit(key, windowMs) {
      const now = Date.now()
      if (now >= sweep) {
        for (const [k, w] of windows) if (w.ends <= now) windows.delete(k)
        sweep = now + windowMs
      }
      const found = windows.get(key)
      const current = found && found.ends > now ? found : { count: 0, ends: now + windowMs }
      current.count++
      windows.set(key, current)
      return current.count
    },
    async reset(key) {
      windows.delete(key)
    },
  }
}
