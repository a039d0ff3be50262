import type { LimitStore } from './types'

/**
 * The default store: fixed windows and the call meter's tallies in this process's memory, swept as
 * they lapse. One process only: with several instances, give them a shared store.
 *
 * @example
 * const limitStore = memoryLimitStore()
 * await limitStore.hit('signin:-99:<hash>', 15 * 60_000) // 1
 */
export function memoryLimitStore(): LimitStore {
  const windows = new Map<string, { count: number; ends: number }>()
  const tallies = new Map<string, { counts: Record<string, number>; ends: number }>()
  let sweep = 0
  const swept = (now: number, windowMs: number) => {
    if (now < sweep) return
    for (const [k, w] of windows) if (w.ends <= now) windows.delete(k)
    for (const [k, t] of tallies) if (t.ends <= now) tallies.delete(k)
    sweep = now + Math.min(windowMs, 3600_000)
  }
  const live = (key: string, now = Date.now()) => {
    const found = tallies.get(key)
    return found && found.ends > now ? found : undefined
  }
  return {
    async hit(key, windowMs) {
      const now = Date.now()
      swept(now, windowMs)
      const found = windows.get(key)
      const current = found && found.ends > now ? found : { count: 0, ends: now + windowMs }
      current.count++
      windows.set(key, current)
      return current.count
    },
    async reset(key) {
      windows.delete(key)
    },
    async tally(key, fields, ttlMs) {
      const now = Date.now()
      swept(now, ttlMs)
      const current = live(key, now) ?? { counts: {}, ends: 0 }
      current.ends = now + ttlMs
      tallies.set(key, current)
      return fields.map((field) => (current.counts[field] = (current.counts[field] ?? 0) + 1))
    },
    async tallies(key) {
      return { ...live(key)?.counts }
    },
  }
}
