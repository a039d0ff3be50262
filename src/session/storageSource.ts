import { parseToken } from '../core/parseToken'
import type { ArrivedToken } from '../core/types'
import type { TokenSource } from './tokenSource'
import { resolveStorage, type UserTokenStorage, type UserTokenStorageOption } from './userTokenStorage'

/**
 * Token mode's source: the token in `option`'s storage under `key`, as `{ site, token, skew }`, and
 * tab sync through the storage's `subscribe`. The storage is resolved when the session starts, never
 * before. The last value written is remembered, so that this page's own writes echoed back by other
 * tabs are ignored; a storage that refuses to save is reported once. With `server`, tokens are read
 * without their `AccessToken`, as server mode's tab sync carries them.
 */
export function storageSource(
  option: UserTokenStorageOption | undefined,
  key: string,
  site: string,
  server?: boolean,
): TokenSource {
  let storage: UserTokenStorage | undefined
  // Nothing is stored until read says otherwise, so a first sign-out never tells other tabs to follow.
  let written: string | null = null
  let warned = false

  const write = async (value: string | null) => {
    written = value
    try {
      await (value === null ? storage?.removeItem(key) : storage?.setItem(key, value))
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
    persistent: (option ?? 'memory') !== 'memory',
    async read() {
      let raw: string | null = null
      try {
        raw = (await storage?.getItem(key)) ?? null
      } catch {
        // an unreadable storage holds nothing
      }
      written = raw
      return decode(raw)
    },
    write(arrived) {
      const value = arrived && JSON.stringify({ site, token: arrived.token, skew: arrived.skew ?? 0 })
      if (value !== written) void write(value)
    },
    subscribe(listener) {
      storage = resolveStorage(option)
      const follow = (raw: string | null) => {
        if (raw === written) return
        written = raw
        listener(decode(raw))
      }
      return storage?.subscribe?.(key, follow) ?? (() => {})
    },
    claims: () => storage,
  }
}
