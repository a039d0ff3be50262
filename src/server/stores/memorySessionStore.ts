import type { SessionRecord, SessionStore } from './types'

/**
 * Options of `memorySessionStore`.
 *
 * @example
 * const options: MemorySessionStoreOptions = { max: 50_000 }
 */
export interface MemorySessionStoreOptions {
  /**
   * The most sessions kept at once, and as many ended-session marks. Default 10 000. Lapsed ones are
   * swept first; when it is still full, a new sign-in is refused (503, its token revoked at Mindbody)
   * rather than signing anyone else out.
   */
  max?: number
}

/** Desks' values in memory, at most `max`, each until its time: read, and set only if unchanged. */
function memoryValues(max: number) {
  const values = new Map<string, { value: string; until: number }>()
  const held = (key: string) => {
    const kept = values.get(key)
    return kept && kept.until > Date.now() ? kept.value : null
  }
  const sweep = (now: number) => {
    for (const [key, kept] of values) if (kept.until <= now) values.delete(key)
  }
  return {
    read: async (key: string) => held(key),
    sweep,
    // Compared and set with no await between: two swaps begun at once never both win.
    async swap(key: string, expected: string | null, next: string | null, ttlMs: number) {
      if (held(key) !== expected) return false
      if (next === null) return values.delete(key) || true
      if (expected === null && values.size >= max) sweep(Date.now())
      if (expected === null && values.size >= max) throw new Error('The memory session store is full')
      values.set(key, { value: next, until: Date.now() + ttlMs })
      return true
    },
  }
}

/**
 * A `SessionStore` in this process's memory, for one instance or for tests: bounded by `max`, each
 * record forgotten at its `expiresAt` (swept at most once a minute, and whenever it is full).
 *
 * @example
 * const store = memorySessionStore()
 * const proxy = createMindbodyProxy({ apiKey, secret, siteIds: [-99], session: { store } })
 */
export function memorySessionStore({ max = 10_000 }: MemorySessionStoreOptions = {}): SessionStore {
  const records = new Map<string, SessionRecord>()
  const ended = new Map<string, number>()
  const values = memoryValues(max)
  let nextSweep = 0
  const sweep = (force: boolean) => {
    const now = Date.now()
    if (!force && now < nextSweep) return
    nextSweep = now + 60_000
    for (const [id, r] of records) if (r.expiresAt <= now) records.delete(id)
    for (const [key, until] of ended) if (until <= now) ended.delete(key)
    values.sweep(now)
  }
  const live = (id: string) => {
    const record = records.get(id)
    if (record && record.expiresAt > Date.now()) return record
    records.delete(id)
    return undefined
  }
  return {
    async create(record) {
      sweep(records.size >= max)
      if (records.size >= max) throw new Error('The memory session store is full')
      records.set(record.id, { ...record })
    },
    async update(record) {
      sweep(false)
      return !!live(record.id) && !!records.set(record.id, { ...record })
    },
    async get(id) {
      const record = live(id)
      return record ? { ...record } : null
    },
    async list(siteId) {
      sweep(false)
      return [...records.values()].filter((r) => r.siteId === siteId && live(r.id)).map((r) => ({ ...r }))
    },
    async revoke(id) {
      records.delete(id)
    },
    async claimEnd(key, until) {
      sweep(ended.size >= max)
      if ((ended.get(key) ?? 0) > Date.now()) return false
      // Full of marks: the oldest goes, at the cost of one more upstream revoke if its cookie returns.
      if (ended.size >= max) ended.delete(ended.keys().next().value!)
      ended.set(key, until)
      return true
    },
    read: values.read,
    swap: values.swap,
  }
}
