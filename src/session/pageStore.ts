import { parseToken } from '../core/parseToken'
import { signedInAs } from '../core/signedInAs'
import { quietly } from './quietly'
import { letGo, type HeldToken, type PageRecord, type RecordListener } from './pageRecord'
import type { ArrivedToken, IssueResponse } from '../core/types'
import type { SignOutReason } from './signOutReason'
import type { UserTokenStorage } from './userTokenStorage'

/** A token's identity for the session's bookkeeping: a renewal that moves `Expires` makes a new one. */
export const tokenId = (token: IssueResponse): string => `${token.AccessToken} ${token.Expires}`

/** A token that has just arrived, held with the skew its answer showed; without one, the last known skew stands. */
export const hold = ({ token, skew }: ArrivedToken, before?: HeldToken | null): HeldToken => ({
  token,
  id: tokenId(token),
  at: Date.now(),
  skew: skew ?? before?.skew ?? 0,
})

/** The kept form of `held`, JSON at the storage edge only; `null` signed out. */
const encode = ({ store }: PageRecord, held?: HeldToken | null) =>
  held ? JSON.stringify({ site: store.site, token: held.token, skew: held.skew }) : null

/**
 * Reads a kept entry: `null` when there is none, or it is corrupt, foreign or not `fresh` (then it is
 * removed). `hidesToken`: server mode's tokens come without their `AccessToken`.
 */
function decode(
  record: PageRecord,
  raw: string | null,
  hidesToken: boolean,
  fresh: (h: HeldToken) => boolean,
) {
  if (raw === null) return null
  try {
    const kept = JSON.parse(raw) as { site?: unknown; token?: unknown; skew?: unknown }
    const held = hold({ token: parseToken(kept.token, hidesToken), skew: Number(kept.skew) || 0 })
    if (kept.site === record.store.site && fresh(held)) return held
  } catch {
    // corrupt or foreign data is treated as signed out
  }
  void keep(record, () => record.store.storage?.removeItem(record.store.key))
  return null
}

/** Runs a storage write; a storage that refuses is reported once, and the token stays in memory. */
async function keep(record: PageRecord, write: () => unknown) {
  try {
    await write()
  } catch {
    if (!record.store.warned)
      console.warn(
        'react-mindbody-user-token: the token storage refused to save; the token is kept in memory only.',
      )
    record.store.warned = true
  }
}

/**
 * Tells every follower of the page; the token is kept only while someone follows. A sign-in, a
 * sign-out or another staff member counts as a new sign-in; a renewal does not.
 */
function tell(record: PageRecord, held: HeldToken | null, reason?: SignOutReason) {
  const { store } = record
  const previous = store.held ?? null
  if (!held || signedInAs(held.token) !== signedInAs(previous?.token)) store.signIns++
  store.held = store.listeners.size ? held : undefined
  for (const listener of [...store.listeners]) listener(held, reason, previous)
}

/**
 * The one write of the page's token: every provider of the page hears it at once, with its reason,
 * and it is kept (and so reaches other tabs) where the page keeps it. Nothing happens when unchanged.
 */
export function commit(record: PageRecord, held: HeldToken | null, reason?: SignOutReason): void {
  const value = encode(record, held)
  const { storage, key } = record.store
  if (held === record.store.held || (value === encode(record, record.store.held) && held)) return
  tell(record, held, reason)
  void keep(record, () => (value === null ? storage?.removeItem(key) : storage?.setItem(key, value)))
}

/** How a session opens its page's store: where it is kept, and which kept tokens it takes. */
export interface StoreLink {
  open: () => UserTokenStorage | undefined
  hidesToken: boolean
  /** Whether a kept token is still good by the clock it was kept with. */
  fresh: (held: HeldToken) => boolean
  /**
   * The token a provider still holds in its own copy when the page has let go (it restarts at once:
   * StrictMode, new props), which the page takes back rather than lose a memory token.
   */
  remembered?: () => IssueResponse | null | undefined
}

/**
 * Reads the kept token once per page while it is unknown; every starting provider shares the read,
 * and `restored` runs once the token is known: at once when it is, else when the read ends, before
 * anyone awaiting the read (the token query) goes on, so that each provider has taken it by then.
 */
export function readKept(record: PageRecord, link: StoreLink, restored: () => void): void {
  const { store } = record
  const remembered = store.held === undefined && link.remembered?.()
  if (remembered) store.held = hold({ token: remembered })
  if (store.held !== undefined) return restored()
  store.restoring.push(restored)
  store.reading ??= (async () => {
    const raw = (await quietly(() => (store.storage ??= link.open())?.getItem(store.key))) ?? null
    if (store.held === undefined && store.listeners.size)
      store.held = decode(record, raw, link.hidesToken, link.fresh)
  })().finally(() => {
    store.reading = undefined
    for (const done of store.restoring.splice(0)) done()
  })
}

/**
 * Follows the page's token, and other tabs through its storage, once per page while anyone follows.
 * When the last follower stops, the page lets go (`letGo`). Returns the stop.
 */
export function followStore(record: PageRecord, link: StoreLink, listener: RecordListener): () => void {
  const { store } = record
  store.listeners.add(listener)
  store.stop ??= (store.storage ??= link.open())?.subscribe?.(store.key, (raw) => {
    if (raw !== encode(record, store.held))
      tell(
        record,
        decode(record, raw, link.hidesToken, () => true),
      )
  })
  return () => {
    store.listeners.delete(listener)
    if (!store.listeners.size) letGo(record)
  }
}
