import { MindbodyError } from '../../core/MindbodyError'

const DAY = 86_400_000

/** A day as the meter files it: `YYYY-MM-DD`, in UTC. */
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * Which counts `proxy.usage` reads: a site, and the first and last UTC day (each a `Date`, or
 * `YYYY-MM-DD`), at most 400 days apart.
 *
 * @example
 * const query: UsageQuery = { siteId: -99, from: '2026-03-01', to: new Date() }
 */
export interface UsageQuery {
  siteId: string | number
  from: Date | string
  to: Date | string
}

/**
 * The Mindbody calls the proxy made for a site over some days, as `proxy.usage` answers them: every
 * call it sent, each counted once (a shared GET counts once), whether Mindbody answered or not.
 *
 * @example
 * const usage: MindbodyUsage = await proxy.usage({ siteId: -99, from: '2026-03-01', to: '2026-03-31' })
 * const billed = Math.max(0, usage.calls - usage.rateLimited - 5_000) * 0.002
 */
export interface MindbodyUsage {
  siteId: string
  /** The first day read, `YYYY-MM-DD`. */
  from: string
  /** The last day read, `YYYY-MM-DD`. */
  to: string
  /** Every call. */
  calls: number
  /** The app's calls: forwarded calls and sign-ins. */
  app: number
  /** The calls the library made on its own: renewals, sign-outs, permission reads. */
  library: number
  /** Calls Mindbody answered 429, which it does not bill. */
  rateLimited: number
  /** By kind: `forward`, `sign-in`, `renew`, `revoke`, `permissions`. */
  kinds: Record<string, number>
  /** By UTC day, `YYYY-MM-DD`, for the days with calls. */
  days: Record<string, number>
  /** By route, as a template: `/public/v{n}/staff/staff`. */
  routes: Record<string, number>
  /** By the staff member whose token a call carried, by `User.Id` (owners and admins share 0). */
  staff: Record<string, number>
}

/** A query's day, checked. */
function dayIn(value: Date | string, name: string) {
  const ms = value instanceof Date ? value.getTime() : Date.parse(`${value}T00:00:00Z`)
  if (!Number.isFinite(ms) || (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(value)))
    throw new MindbodyError('invalid-input', `Invalid ${name}: give a Date or a day such as 2026-03-01`)
  return Date.parse(`${dayOf(ms)}T00:00:00Z`)
}

/** Adds a day's `counts` into `usage`, each field in its place. */
function add(usage: MindbodyUsage, day: string, counts: Record<string, number>) {
  const into = (record: Record<string, number>, name: string, n: number) => {
    record[name] = (record[name] ?? 0) + n
  }
  for (const [field, n] of Object.entries(counts)) {
    if (!Number.isFinite(n)) continue
    const [group, ...rest] = field.split(':')
    const name = rest.join(':')
    if (field === 'calls') ((usage.calls += n), into(usage.days, day, n))
    else if (field === 'rate-limited') usage.rateLimited += n
    else if (group === 'kind') into(usage.kinds, name, n)
    else if (group === 'route') into(usage.routes, name, n)
    else if (group === 'staff') into(usage.staff, name, n)
  }
}

/** `proxy.usage` over `read`, which answers the tally of a key `<siteId>:<day>`. */
export const readUsage =
  (read: (key: string) => Promise<Record<string, number>>) =>
  async (query: UsageQuery): Promise<MindbodyUsage> => {
    const siteId = String(query.siteId)
    const from = dayIn(query.from, 'from')
    const to = dayIn(query.to, 'to')
    if (to < from || to - from > 400 * DAY)
      throw new MindbodyError('invalid-input', 'Invalid to: give a day from `from` to 400 days after it')
    const days = Array.from({ length: (to - from) / DAY + 1 }, (_, i) => dayOf(from + i * DAY))
    const usage: MindbodyUsage = {
      ...{ siteId, from: days[0]!, to: days.at(-1)!, calls: 0, app: 0, library: 0, rateLimited: 0 },
      ...{ kinds: {}, days: {}, routes: {}, staff: {} },
    }
    const counts = await Promise.all(days.map((day) => read(`${siteId}:${day}`)))
    counts.forEach((found, i) => add(usage, days[i]!, found))
    const { forward = 0, 'sign-in': signIn = 0 } = usage.kinds
    usage.app = forward + signIn
    usage.library = usage.calls - usage.app
    return usage
  }
