import type { UserTokenStorage } from './userTokenStorage'

/**
 * Tab sync for `mode="server"`, where nothing is stored in the browser: a storage that keeps
 * nothing and tells the other tabs of this origin each change, over a `BroadcastChannel` open while
 * anyone listens. Where there is no `BroadcastChannel` (the server, old browsers) it tells no one.
 */
export function broadcastStorage(name: string): UserTokenStorage {
  let channel: BroadcastChannel | undefined
  let listeners = 0
  return {
    getItem: () => null,
    setItem: (_key, value) => channel?.postMessage(value),
    removeItem: () => channel?.postMessage(null),
    subscribe(_key, listener) {
      if (typeof BroadcastChannel === 'undefined') return () => {}
      const open = (channel ??= new BroadcastChannel(name))
      const onMessage = (event: MessageEvent) => listener(typeof event.data === 'string' ? event.data : null)
      open.addEventListener('message', onMessage)
      listeners++
      return () => {
        open.removeEventListener('message', onMessage)
        if (--listeners === 0) channel = void open.close()
      }
    },
  }
}
