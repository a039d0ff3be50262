import { deadline } from './deadline'
import type { SessionStore } from './stores/types'

/** Thrown when the session store cannot answer in time: the proxy answers 503 and sends nothing. */
export const STORE_DOWN = Symbol('the session store is down')

/** `store` with a deadline of `ms` on every call, any failure thrown as `STORE_DOWN`. */
export function storeDeadline(store: SessionStore, ms: number): SessionStore {
  const stored = <T>(work: () => Promise<T>): Promise<T> =>
    deadline(Promise.resolve().then(work), ms, STORE_DOWN).catch(() => Promise.reject(STORE_DOWN))
  return {
    create: (record) => stored(() => store.create(record)),
    update: (record) => stored(() => store.update(record)),
    get: (id) => stored(() => store.get(id)),
    list: (siteId) => stored(() => store.list(siteId)),
    revoke: (id) => stored(() => store.revoke(id)),
    claimEnd: (key, until) => stored(() => store.claimEnd(key, until)),
    ...(store.read &&
      store.swap && {
        read: (key) => stored(() => store.read!(key)),
        swap: (key, expected, next, ttlMs) => stored(() => store.swap!(key, expected, next, ttlMs)),
      }),
  }
}
