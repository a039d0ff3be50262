/**
 * A short, bounded memory of cookies that opened: the exact sealed value → what it held. An entry
 * lasts `ttlMs` at most, and never past `until` (the cookie's own expiry); past `limit` entries the
 * oldest goes. Only values that opened are kept, so nobody without a valid cookie can fill it. The
 * session's limits and its store are checked on every call all the same: this saves the decryption.
 */
export function recentlyOpened<T extends object>(limit = 1000, ttlMs = 30_000) {
  const entries = new Map<string, { value: T; until: number }>()
  const keys = new WeakMap<T, string>()
  return {
    get(sealed: string): T | undefined {
      const entry = entries.get(sealed)
      if (entry && Date.now() < entry.until) return entry.value
      entries.delete(sealed)
      return undefined
    },
    set(sealed: string, value: T, until: number) {
      if (entries.size >= limit) entries.delete(entries.keys().next().value!)
      entries.set(sealed, { value, until: Math.min(until, Date.now() + ttlMs) })
      keys.set(value, sealed)
    },
    /** Forgets the entry that answered `value`, at a sign-out or when its session ends. */
    forget(value: T) {
      const sealed = keys.get(value)
      if (sealed !== undefined) entries.delete(sealed)
    },
  }
}
