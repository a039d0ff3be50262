import type { LimitStore } from './types'

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
