import { parseToken } from '../core/parseToken'
import type { ArrivedToken } from '../core/types'
import type { PageStorage } from './pageStorage'
import type { TokenSource } from './tokenSource'

/**
 * A session's source over its page's storage (`pageStorage`): the token under `key` as
 * `{ site, token, skew }`, and what the page's other providers and other tabs write. The last value
 * written is remembered, so that this provider's own writes coming back are ignored; a storage that
 * refuses to save is reported once. With `server`, tokens are read without their `AccessToken`, as
 * server mode keeps it on the server.
 */
export function storageSource(
  storage: PageStorage,
  key: string,
  site: string,
  server?: boolean,
): Omit<TokenSource, 'persistent' | 'page' | 'claims'> {
  // Nothing is stored until read says otherwise, so a first sign-out never tells other tabs to follow.
  let written: string | null = null
  let warned = false

  const write = async (value: string | null, reason?: Parameters<TokenSource['write']>[1]) => {
    written = value
    try {
      await (value === null ? storage.removeItem(key, reason) : storage.setItem(key, value))
    } catch {
      if (!warned)
        console.warn(
          'react-mindbody-user-token: the token storage refused to save; the token is kept in memory only.',
        )
      warned = true
    }
  }
  /** Reads a raw entry. Corrupt or foreign data is `null`, and is removed. */
  const decode = (raw: string | null): ArrivedToken | null => {
    if (raw === null) return null
    try {
      const record = JSON.parse(raw) as { site?: unknown; token?: unknown; skew?: unknown }
      const token = parseToken(record.token, server)
      if (record.site === site) return { token, skew: Number.isFinite(record.skew) ? Number(record.skew) : 0 }
    } catch {
      // corrupt or foreign data is treated as signed out
    }
    void write(null)
    return null
  }

  return {
    async read() {
      let raw: string | null = null
      try {
        raw = await storage.getItem(key)
      } catch {
        // an unreadable storage holds nothing
      }
      written = raw
      return decode(raw)
    },
    write(arrived, reason) {
      const value = arrived && JSON.stringify({ site, token: arrived.token, skew: arrived.skew ?? 0 })
      if (value !== written) void write(value, reason)
    },
    subscribe: (listener) =>
      storage.subscribe(key, (raw, reason) => {
        if (raw === written) return
        written = raw
        listener(decode(raw), reason)
      }),
  }
}
