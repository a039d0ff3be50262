import type { PageListener, PageSlot } from './pageSlot'
import type { SignOutReason } from './signOutReason'
import type { UserTokenStorage } from './userTokenStorage'

/** A storage as a page's session uses it: a removal says why, and listeners hear it. */
export interface PageStorage {
  getItem(key: string): string | null | Promise<string | null>
  setItem(key: string, value: string): void | Promise<void>
  removeItem(key: string, reason?: SignOutReason): void | Promise<void>
  subscribe(key: string, listener: PageListener): () => void
}

/**
 * The page-wide layer over where a session's token is kept (`open()`, opened once per page, or none
 * for memory): every write reaches the other providers of the page at once, with its reason; a read
 * while another is in flight shares it; other tabs are followed once per page, while anyone listens.
 * While providers listen, the page's value is the truth. When the last one stops, the page lets go:
 * a kept token is read again next time (other tabs may change it meanwhile), a memory one is gone.
 */
export function pageStorage(slot: PageSlot, open: () => UserTokenStorage | undefined): PageStorage {
  const kept = () => (slot.storage ??= open())
  const tell = (value: string | null, reason?: SignOutReason) => {
    slot.value = value
    for (const listener of [...slot.listeners]) listener(value, reason)
  }
  const read = async (key: string) => {
    try {
      const raw = (await kept()?.getItem(key)) ?? null
      if (slot.value === undefined && slot.listeners.size) slot.value = raw
      return slot.value === undefined ? raw : slot.value
    } finally {
      slot.reading = undefined
    }
  }
  return {
    getItem: (key) => (slot.value !== undefined ? slot.value : (slot.reading ??= read(key))),
    setItem(key, value) {
      tell(value)
      return kept()?.setItem(key, value)
    },
    removeItem(key, reason) {
      tell(null, reason)
      return kept()?.removeItem(key)
    },
    subscribe(key, listener) {
      slot.listeners.add(listener)
      slot.stop ??= kept()?.subscribe?.(key, (raw) => void (raw !== slot.value && tell(raw)))
      return () => {
        slot.listeners.delete(listener)
        if (slot.listeners.size) return
        slot.stop?.()
        slot.stop = slot.value = slot.claim = slot.active = slot.reported = undefined
      }
    },
  }
}
