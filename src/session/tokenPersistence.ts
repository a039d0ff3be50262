import { parseToken } from '../core/parseToken'
import type { IssueResponse } from '../core/types'
import type { UserTokenStorage } from './userTokenStorage'

/** What one storage entry holds: the token, the site it is for, and the server clock offset it came with. */
export interface StoredToken {
  token: IssueResponse
  skew: number
}

/**
 * Reads and writes one site's token in a storage, remembering the last value written so that its own
 * writes echoed back by other tabs are ignored. A storage that refuses to save is reported once.
 */
export function createTokenPersistence(
  storage: () => UserTokenStorage | undefined,
  key: string,
  site: string,
  server?: boolean,
) {
  let written: string | null | undefined
  let warned = false

  const write = async (value: string | null) => {
    written = value
    try {
      await (value === null ? storage()?.removeItem(key) : storage()?.setItem(key, value))
    } catch {
      if (!warned)
        console.warn(
          'react-mindbody-user-token: the token storage refused to save; the token is kept in memory only.',
        )
      warned = true
    }
  }

  return {
    /** Notes `value` as read, so it is not written back; false when it is what this page already has. */
    take(value: string | null): boolean {
      if (value === written) return false
      written = value
      return true
    },
    /** Stores `stored`, or forgets the entry for `null`; writes nothing when unchanged. */
    save(stored: StoredToken | null) {
      const value = stored && JSON.stringify({ site, token: stored.token, skew: stored.skew })
      if (value !== written) void write(value)
    },
    /** Reads a raw entry. Corrupt or foreign data is `null`, and is removed. */
    decode(raw: string | null | undefined): StoredToken | null {
      if (raw == null) return null
      try {
        const record = JSON.parse(raw) as { site?: unknown; token?: unknown; skew?: unknown }
        const token = parseToken(record.token, server)
        if (record.site === site)
          return { token, skew: Number.isFinite(record.skew) ? Number(record.skew) : 0 }
      } catch {
        // corrupt or foreign data is treated as signed out
      }
      void write(null)
      return null
    },
    /** The raw entry, or `null` when there is none or the storage fails. */
    read: async () => {
      try {
        return (await storage()?.getItem(key)) ?? null
      } catch {
        return null
      }
    },
  }
}
