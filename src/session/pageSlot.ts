import type { SignOutReason } from './signOutReason'
import type { UserTokenStorage } from './userTokenStorage'

/** Hears each change of a page's session: the kept value, and for `null` why the session ended. */
export type PageListener = (value: string | null, reason?: SignOutReason) => void

/**
 * What the providers of one session share on a page: version 1 of a shape that every copy of this
 * library reads, whichever script bundled it. It lives on `globalThis` under
 * `Symbol.for('react-mindbody-user-token/page@1')`; a change to its meaning takes a new key.
 */
export interface PageSlot {
  /** The token as storage keeps it (JSON of `{ site, token, skew }`), `null` signed out, unset when unknown. */
  value?: string | null
  /** The read of the kept token in flight while `value` is unknown, which every starting provider shares. */
  reading?: Promise<string | null>
  /** The page's one link to where the token is kept and to other tabs, opened by the first provider. */
  storage?: UserTokenStorage
  /** Stops following other tabs; set while any provider listens. */
  stop?: () => void
  /** Who auto-renews next on this page: `"<until> <owner>"`. */
  claim?: string
  /** True while a provider of the page waits for its auto-renew's answer, however long it takes. */
  renewing?: boolean
  /** The token (its `tokenId`) whose auto-renew gave up, so its expiry says `'renew-failed'` everywhere. */
  failed?: string
  /** The page's last activity (ms since the epoch), for the idle timeout. */
  active?: number
  /** When the page last told the `/server` proxy of activity. */
  reported?: number
  /** The `/server` proxy's `GET /session` of a revalidation in flight, which every provider shares. */
  checking?: Promise<unknown>
  /** Every provider of the session that listens now. */
  listeners: Set<PageListener>
}

interface Page {
  named: Map<string, PageSlot>
  custom: WeakMap<object, Map<string, PageSlot>>
}
const PAGE = Symbol.for('react-mindbody-user-token/page@1')

/**
 * The page's slot for a session kept in `place` (a storage mode, `'server'`, or a custom storage,
 * by identity) under `key`: one per page, shared by every React root and every copy of the library.
 */
export function pageSlot(place: string | object, key: string): PageSlot {
  const page = ((globalThis as { [PAGE]?: Page })[PAGE] ??= { named: new Map(), custom: new WeakMap() })
  let slots = typeof place === 'string' ? page.named : page.custom.get(place)
  if (!slots) page.custom.set(place as object, (slots = new Map()))
  const id = typeof place === 'string' ? `${place} ${key}` : key
  let slot = slots.get(id)
  if (!slot) slots.set(id, (slot = { listeners: new Set() }))
  return slot
}
