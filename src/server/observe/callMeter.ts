import { deadline } from '../deadline'
import { json } from '../responses'
import type { LimitStore } from '../stores/types'
import { dayOf, readUsage } from './callUsage'
import { MindbodyError } from '../../core/MindbodyError'
import type { CallBudget, CallMeterOptions } from './observeOptions'

const DAY = 86_400_000
/** How long a day's tally is kept: a year and a month, so last year's same month can be compared. */
const KEEP_DAYS = 400 * DAY
const KEEP_PERIOD = 62 * DAY

/**
 * Who asked for a call: the app (`'forward'`, a forwarded call, and `'sign-in'`), or the library on
 * its own (`'renew'`, `'revoke'`, and `'permissions'`, the staff member's permissions read).
 */
export type CallKind = 'forward' | 'sign-in' | 'renew' | 'revoke' | 'permissions'

/** The first day of the billing period `now` falls in, when periods begin on `startDay` (UTC). */
export function periodStart(now: number, startDay: number) {
  const date = new Date(now)
  const month = date.getUTCMonth() - (date.getUTCDate() < startDay ? 1 : 0)
  return dayOf(Date.UTC(date.getUTCFullYear(), month, startDay))
}

/** A clear error, naming the field, for a budget that cannot work. */
function checkBudget({ calls, warnAt = 0.8, periodStartDay: day = 1 }: CallBudget) {
  const counts = typeof calls === 'number' ? [calls] : Object.values(calls ?? {})
  const wrong = !counts.every((n) => Number.isInteger(n) && n > 0)
    ? 'calls: give whole numbers above 0'
    : !(warnAt > 0 && warnAt <= 1)
      ? 'warnAt: give a share above 0, at most 1'
      : !(Number.isInteger(day) && day > 0 && day < 29) && 'periodStartDay: give a day from 1 to 28'
  if (wrong) throw new MindbodyError('invalid-input', `Invalid meter.budget.${wrong}`)
}

/** What the meter tells `onEvent`: a budget's warning or its end, for a site and period. */
export type BudgetNews = (
  type: 'budget-warning' | 'budget-reached',
  siteId: string,
  facts: { calls: number; budget: number; periodStart: string },
) => Promise<void>

/**
 * The call meter: one count per call to Mindbody, by site and UTC day, in `store` (the limit store),
 * each field a count: every call, its kind, its route, the staff member whose token it carried, and
 * the 429s Mindbody does not bill. With a budget, the period's calls too, and `news` at its warning
 * and at its end. A store that fails or stalls past `ms` loses the count, and never holds an answer
 * longer than that.
 */
export function createCallMeter(options: CallMeterOptions, store: LimitStore, ms: number, news: BudgetNews) {
  const { budget } = options
  if (budget) checkBudget(budget)
  const warnAt = budget?.warnAt ?? 0.8
  const startDay = budget?.periodStartDay ?? 1
  const limitOf = (siteId: string) =>
    typeof budget?.calls === 'number' ? budget.calls : budget?.calls[siteId]
  const safe = <T>(work: () => Promise<T>, fallback: T) =>
    deadline(Promise.resolve().then(work), ms, null).catch(() => fallback)
  const tally = (key: string, fields: string[], ttlMs: number) =>
    safe(() => store.tally!(`meter:${key}`, fields, ttlMs), [] as number[])
  /** Tells of the budget when the period's count reaches its warning or its end: once, where it did. */
  const crossed = async (siteId: string, calls: number | undefined, start: string) => {
    const limit = limitOf(siteId)!
    const facts = { calls: calls!, budget: limit, periodStart: start }
    if (calls === Math.max(1, Math.ceil(limit * warnAt)) && calls < limit)
      await news('budget-warning', siteId, facts)
    if (calls === limit) await news('budget-reached', siteId, facts)
  }
  return {
    /** Counts a call as it goes out; settles once counted, or failed to be. */
    async count(siteId: string, route: string, kind: CallKind, userId?: number | null) {
      const now = Date.now()
      const staff = Number.isInteger(userId) ? [`staff:${userId}`] : []
      const fields = ['calls', `kind:${kind}`, `route:${route}`, ...staff]
      const day = tally(`${siteId}:${dayOf(now)}`, fields, KEEP_DAYS)
      if (!limitOf(siteId)) return void (await day)
      const start = periodStart(now, startDay)
      const [, [calls]] = await Promise.all([day, tally(`${siteId}:period:${start}`, ['calls'], KEEP_PERIOD)])
      await crossed(siteId, calls, start)
    },
    /** Counts a 429 of Mindbody's, which it does not bill. */
    async rateLimited(siteId: string) {
      await tally(`${siteId}:${dayOf(Date.now())}`, ['rate-limited'], KEEP_DAYS)
    },
    /**
     * 429 `BudgetExceeded` when the budget refuses and `siteId`'s period has spent it; `undefined` to
     * let the call on, also when the store cannot say in time: the meter counts, it does not guard.
     */
    async refusal(siteId: string): Promise<Response | undefined> {
      const limit = limitOf(siteId)
      if (!budget?.refuse || !limit) return undefined
      const key = `meter:${siteId}:period:${periodStart(Date.now(), startDay)}`
      const { calls = 0 } = await safe(() => store.tallies!(key), {} as Record<string, number>)
      if (calls < limit) return undefined
      const Message = `This site has made its ${limit} Mindbody calls for this billing period.`
      return json({ Error: { Message, Code: 'BudgetExceeded' } }, 429)
    },
    /** `proxy.usage`: each day's tally read within the store deadline, or a rejection. */
    usage: readUsage((key) =>
      deadline(
        Promise.resolve().then(() => store.tallies!(`meter:${key}`)),
        ms,
        new Error('The limit store did not answer within storeTimeoutMs'),
      ),
    ),
  }
}
