import { listen } from './listen'
import { quietly } from './quietly'
import type { PageRecord } from './pageRecord'
import type { UserTokenStorage } from './userTokenStorage'

const EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const
/** Another tab hears of activity at most this often. */
const SHARE_MS = 5_000

/**
 * The page's and other tabs' last activity: `pointerdown`, `keydown`, `wheel`, `touchstart` or the tab
 * coming into view, in any provider of the page (through its record) or any tab (through `storage`,
 * the storage every tab shares, under `key`).
 */
export function createActivityClock(
  activity: PageRecord['activity'],
  storage: () => UserTokenStorage | undefined,
  key: string,
) {
  let shared = 0
  return {
    /** The last activity anywhere, in ms since the epoch; 0 when none is known. */
    async latest(): Promise<number> {
      const stored = Number(await quietly(() => storage()?.getItem(key))) || 0
      return Math.max(activity.at ?? 0, stored)
    },
    /** The page's last activity, or `undefined`. */
    last: () => activity.at,
    /** Notes activity at `now` on the page. */
    note: (now: number) => void (activity.at = Math.max(activity.at ?? 0, now)),
    /** Tells other tabs of activity at `now`, at most every few seconds unless `force`. */
    share(now: number, force?: boolean) {
      if (!force && now - shared < SHARE_MS) return
      shared = now
      void quietly(() => storage()?.setItem(key, String(now)))
    },
    /** Calls `onActivity` on each activity of this document; returns the stop. */
    listen(onActivity: () => void): () => void {
      const onVisible = () => void (document.visibilityState !== 'hidden' && onActivity())
      const stops = [
        listen(EVENTS, onActivity, undefined, { capture: true, passive: true }),
        listen(['visibilitychange'], onVisible, globalThis.document),
      ]
      return () => stops.forEach((stop) => stop())
    },
  }
}
