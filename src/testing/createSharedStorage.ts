import type { UserTokenStorage } from '../session/userTokenStorage'

/**
 * One storage seen by several simulated tabs; see `createSharedStorage`.
 *
 * @example
 * const shared: SharedStorage = createSharedStorage()
 * const tabA = shared.tab()
 */
export interface SharedStorage {
  /** What is stored, by key. */
  data: Map<string, string>
  /** A new tab's view: its writes notify every other tab's `subscribe` listeners, never its own. */
  tab(): UserTokenStorage
}

/**
 * A storage shared by simulated tabs in one page, for tests and demos of cross-tab sync: give each
 * `MindbodyProvider` its own `tab()`, and a change in one reaches the others as a browser's
 * `storage` event would.
 *
 * @example
 * const shared = createSharedStorage()
 * <MindbodyProvider siteId={-99} storage={shared.tab()} queryClient={new QueryClient()}>…
 */
export function createSharedStorage(): SharedStorage {
  const data = new Map<string, string>()
  const listeners: Array<{ key: string; listener: (value: string | null) => void; tab: object }> = []
  const notify = (tab: object, key: string, value: string | null) =>
    listeners.filter((l) => l.tab !== tab && l.key === key).forEach((l) => l.listener(value))
  return {
    data,
    tab() {
      const tab: UserTokenStorage = {
        getItem: (key) => data.get(key) ?? null,
        setItem(key, value) {
          data.set(key, value)
          notify(tab, key, value)
        },
        removeItem(key) {
          data.delete(key)
          notify(tab, key, null)
        },
        subscribe(key, listener) {
          const entry = { key, listener, tab }
          listeners.push(entry)
          return () => void listeners.splice(listeners.indexOf(entry), 1)
        },
      }
      return tab
    },
  }
}
