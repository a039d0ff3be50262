import { listen } from './listen'

/**
 * Where the token is kept between page loads: `'memory'` (the default: gone on reload), `'session'`
 * (this tab, until it closes), `'local'` (every tab of this origin, synced), or your own storage.
 * Every provider on the page with the same storage and key shares one session.
 *
 * @example
 * <MindbodyProvider siteId={-99} storage="session">
 */
export type UserTokenStorageOption = 'memory' | 'session' | 'local' | UserTokenStorage

/**
 * A custom token storage, such as an encrypted or IndexedDB-backed one. Every method may return a
 * promise. With `subscribe`, changes made elsewhere (another tab) reach this one.
 *
 * @example
 * const storage: UserTokenStorage = {
 *   getItem: (key) => idb.get(key),
 *   setItem: (key, value) => idb.set(key, value),
 *   removeItem: (key) => idb.del(key),
 * }
 */
export interface UserTokenStorage {
  /** The stored value, or `null`. */
  getItem(key: string): string | null | Promise<string | null>
  /** Stores a value; may throw (quota), and the token then stays in memory. */
  setItem(key: string, value: string): void | Promise<void>
  /** Forgets a value. */
  removeItem(key: string): void | Promise<void>
  /** Calls `listener` with the new value whenever `key` changes outside this page; returns an unsubscribe. */
  subscribe?(key: string, listener: (value: string | null) => void): () => void
}

/**
 * The storage behind an option, or `undefined` for memory (and on the server). Both Web Storage areas
 * follow the `storage` event, which other documents sharing the area get: other tabs for
 * localStorage, same-origin frames of this tab for both.
 */
export function resolveStorage(option: UserTokenStorageOption = 'memory'): UserTokenStorage | undefined {
  if (typeof option === 'object') return option
  if (option === 'memory' || typeof window === 'undefined') return undefined
  try {
    const area = option === 'local' ? window.localStorage : window.sessionStorage
    return {
      getItem: (key) => area.getItem(key),
      setItem: (key, value) => area.setItem(key, value),
      removeItem: (key) => area.removeItem(key),
      subscribe(key, listener) {
        const onStorage = (event: StorageEvent) => {
          if (event.storageArea === area && (event.key === key || event.key === null))
            listener(event.newValue)
        }
        return listen(['storage'], onStorage as (event: Event) => void)
      },
    }
  } catch {
    return undefined
  }
}
