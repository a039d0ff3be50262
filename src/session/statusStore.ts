/**
 * A tiny store, as zustand's vanilla store is: a state, one set of listeners, and `get`, `set` (a
 * partial state, merged), `subscribe`, and `on` for one field's changes. Each `set` makes a new state object, so React's
 * `useSyncExternalStore` sees every change.
 */
export function createStatusStore<T extends object>(initial: T) {
  let state = initial
  const listeners = new Set<() => void>()
  const subscribe = (listener: () => void): (() => void) => {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  }
  return {
    get: (): T => state,
    /** The state it began with: what a server render showed, which hydration must match. */
    initial: (): T => initial,
    set(next: Partial<T>): void {
      state = { ...state, ...next }
      listeners.forEach((listener) => listener())
    },
    subscribe,
    /** Calls `listener` with each new value of `select(state)` that is set; returns the unsubscribe. */
    on<V>(select: (state: T) => V, listener: (value: NonNullable<V>) => void): () => void {
      let last = select(state)
      return subscribe(() => {
        const value = select(state)
        if (value != null && value !== last) listener(value)
        last = value
      })
    },
  }
}
