import type { DeskState } from '../core/deskState'
import type { ApprovalPart } from './approvalPart'
import type { IssueResponse } from '../core/types'
import type { StaffPermissions } from '../core/readStaffPermissions'
import type { SignOutReason } from './signOutReason'
import type { UserTokenStorage } from './userTokenStorage'

/**
 * A token the page holds, as it arrived: its identity (a renewal that moves `Expires` makes a new
 * one), when it arrived by this device's clock, and how far the server's clock ran ahead then.
 */
export interface HeldToken {
  token: IssueResponse
  id: string
  at: number
  skew: number
}

/** Hears each change of the page's token: the new one (`null` signed out), why it ended, and the one before. */
export type RecordListener = (
  held: HeldToken | null,
  reason: SignOutReason | undefined,
  previous: HeldToken | null,
) => void

/**
 * One sign-in of the page, which every provider, widget and copy of this library that keeps it in the
 * same place shares. Each part owns its group of fields and no other:
 * - `store` (`pageStore.ts`): the token and where it is kept;
 * and when the last provider stops, `letGo` below decides what the page forgets.
 * - `order` (`tokenActions.ts`): whose action came last, and in server mode the call in flight;
 * - `renew` (`renewClaim.ts`, `autoRenewal.ts`, `tokenActions.ts`): who renews, the renewal in flight, the one that gave up;
 * - `activity`: the page's last activity (`activityClock.ts`) and last report to the proxy (`proxyHeartbeat.ts`);
 * - `check` (`proxyHeartbeat.ts`): the proxy's `GET /session` in flight;
 * - `permissions` (`pagePermissions.ts`): the staff member's permissions, read once per sign-in;
 * - `desk` (`deskActions.ts`): who hears each answer of the front desk's calls;
 * - `approval` (`pageApproval.ts`): the calls that wait for an approval, and who shows them.
 * Version 2 of a shape every copy reads, on `globalThis` under `Symbol.for('react-mindbody-user-token/page@2')`.
 * `desk` and `approval` came later: optional, made by the first copy that needs them, and read by no
 * older copy, so the version stands.
 */
export interface PageRecord {
  store: {
    /** The storage key, and the tag that marks a kept token as this sign-in's. */
    readonly key: string
    readonly site: string
    /** The token while any provider follows the page: `null` signed out, unset when unknown. */
    held?: HeldToken | null
    /** The read of the kept token in flight, which every starting provider shares. */
    reading?: Promise<void>
    /** What each provider that started during the read does once it ends. */
    restoring: Array<() => void>
    /** The page's one link to where the token is kept and to other tabs, opened by the first provider. */
    storage?: UserTokenStorage
    /** Stops following other tabs; set while any provider follows. */
    stop?: () => void
    /** Whether a storage that refused to save has been reported. */
    warned?: boolean
    listeners: Set<RecordListener>
    /** Counts the changes of who is signed in: a sign-in, a sign-out, another staff member. */
    signIns: number
  }
  order: { turn: number; queue?: Promise<unknown> }
  renew: {
    /** Who auto-renews next: `"<until> <owner>"`. */
    claim?: string
    /** The renewal in flight, which every caller of the page shares. */
    request?: Promise<IssueResponse>
    /** The token (its id) whose auto-renew gave up, so its expiry says `'renew-failed'` everywhere. */
    failedId?: string
  }
  activity: { at?: number; reportedAt?: number }
  check: { request?: Promise<unknown> }
  permissions: { signIn?: number; request?: Promise<StaffPermissions> }
  desk?: { listeners: Set<(desk: DeskState | null) => void> }
  approval?: ApprovalPart
}

/** Where a sign-in is kept (see `sessionPlace`). */
interface RecordName {
  place: string | object
  id: string
  key: string
  site: string
}

interface Page {
  named: Map<string, PageRecord>
  custom: WeakMap<object, Map<string, PageRecord>>
  /** The record that providers of each config follow, for the option factories. */
  followed: Map<string, PageRecord>
}
const PAGE = Symbol.for('react-mindbody-user-token/page@2')
const page = (): Page =>
  ((globalThis as { [PAGE]?: Page })[PAGE] ??= {
    named: new Map(),
    custom: new WeakMap(),
    followed: new Map(),
  })

/**
 * The page's record of the sign-in kept in `place` (a storage mode, `'server'`, or a custom storage,
 * by identity) as `id`: one per page, shared by every React root and every copy of the library.
 */
export function pageRecord({ place, id: given, key, site }: RecordName): PageRecord {
  const { named, custom } = page()
  let records = typeof place === 'string' ? named : custom.get(place)
  if (!records) custom.set(place as object, (records = new Map()))
  const id = typeof place === 'string' ? `${place} ${given}` : given
  let record = records.get(id)
  if (!record)
    records.set(
      id,
      (record = {
        store: { key, site, listeners: new Set(), restoring: [], signIns: 0 },
        order: { turn: 0 },
        renew: {},
        activity: {},
        check: {},
        permissions: {},
      }),
    )
  return record
}

/** Notes that providers of `record`'s sign-in follow it. */
export const noteFollowed = (record: PageRecord) => void page().followed.set(record.store.site, record)

/** The record that providers of the sign-in named `site` follow, while any does. */
export function followedRecord(site: string): PageRecord | undefined {
  const record = page().followed.get(site)
  return record?.store.listeners.size ? record : undefined
}

/**
 * What a page lets go of when the last provider of a sign-in stops: the token (a kept one is read
 * again next time, since other tabs may change it meanwhile; a memory one is gone), the link to other
 * tabs, the renew claim, the activity and the permissions (other tabs may sign someone else in). The
 * order of actions and a renewal that gave up outlive it.
 */
export function letGo(record: PageRecord): void {
  record.store.stop?.()
  record.store.stop = record.store.held = record.renew.claim = undefined
  record.activity.at = record.activity.reportedAt = undefined
  record.permissions = {}
}
