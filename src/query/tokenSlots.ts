import { hashKey, type QueryClient, type QueryKey } from '@tanstack/react-query'
import { need } from '../core/validate'
import { userTokenKeys } from './userTokenKeys'
import type { ArrivedToken, IssueResponse, MindbodyConfig } from '../core/types'

/**
 * The `QueryClient` to keep the token in: the one given to an option factory, else the one React
 * Query hands to `queryFn` and `mutationFn` (from 5.89 on).
 */
export function clientOf(given: QueryClient | undefined, context: object | undefined): QueryClient {
  const client = given ?? (context as { client?: QueryClient } | undefined)?.client
  need(client, 'queryClient: pass it to the option factory')
  return client!
}

/**
 * How the held token arrived: its identity, when (by this device's clock), and how far the server's
 * clock ran ahead of this device's then. The session times expiry from it.
 */
export interface Arrival {
  id: string
  at: number
  skew: number
}

/** Whose sign-in or sign-out is the latest: a counter every sign-in and sign-out moves on. */
interface Turns {
  turn: number
}

/** What one token of one QueryClient needs besides its data: its restore, its turns, its arrival. */
interface Slot extends Turns {
  restore?: Promise<unknown>
  arrival?: Arrival
}
const slots = new WeakMap<QueryClient, Record<string, Slot>>()

/**
 * The `/server` proxy's cookie for one base URL and site, as every widget of the page shares it: its
 * turns, and the last call to the proxy, which the next one waits for. Version 1 of a shape that every
 * copy of this library reads, whichever script bundled it, on `globalThis` under
 * `Symbol.for('react-mindbody-user-token/cookies@1')`.
 */
interface CookieSlot extends Turns {
  queue?: Promise<unknown>
}
const COOKIES = Symbol.for('react-mindbody-user-token/cookies@1')

/** The page's slot for the proxy's cookie of `config`: one per base URL and site, whatever the QueryClient. */
function cookieSlot(config: MindbodyConfig): CookieSlot {
  const [, baseURL, siteId] = userTokenKeys.token(config)
  const cookies = ((globalThis as { [COOKIES]?: Record<string, CookieSlot> })[COOKIES] ??= {})
  return (cookies[`${baseURL} ${siteId}`] ??= { turn: 0 })
}

/** The bookkeeping of one token: created on first use, kept as long as its QueryClient. */
export const tokenSlot = (client: QueryClient, queryKey: QueryKey): Slot => {
  let byKey = slots.get(client)
  if (!byKey) slots.set(client, (byKey = {}))
  return (byKey[hashKey(queryKey)] ??= { turn: 0 })
}

/** The bookkeeping of the token of `config`. */
const slotOf = (client: QueryClient, config: MindbodyConfig): Slot =>
  tokenSlot(client, userTokenKeys.token(config))

/** Makes the token query wait for `restore` (reading stored state) before it answers. */
export function whileRestoring(client: QueryClient, queryKey: QueryKey, restore: Promise<unknown>): void {
  tokenSlot(client, queryKey).restore = restore
}

/**
 * The turns of the token of `config`: in token mode its QueryClient's; in server mode the cookie's,
 * which every widget of the page shares, whatever its QueryClient.
 */
const turnsOf = (client: QueryClient, config: MindbodyConfig): Turns =>
  config.session === 'server' ? cookieSlot(config) : slotOf(client, config)

/**
 * Starts a new turn for the token of `config`: every sign-in and sign-out takes one, and a sign-in
 * may write its token only if no other turn began meanwhile. The last action wins.
 */
export const takeTurn = (client: QueryClient, config: MindbodyConfig): number =>
  ++turnsOf(client, config).turn

/** Whether `turn` is still the latest for the token of `config`. */
export const isLatestTurn = (client: QueryClient, config: MindbodyConfig, turn: number): boolean =>
  turnsOf(client, config).turn === turn

/** A token's identity for the session's bookkeeping: a renewal that moves `Expires` makes a new one. */
export const tokenId = (token: IssueResponse): string => `${token.AccessToken} ${token.Expires}`

/**
 * Records that a token has just arrived from the server (or another tab), with the skew of the
 * server's clock its answer showed; without one, the last known skew stands.
 */
export function noteArrival(client: QueryClient, config: MindbodyConfig, { token, skew }: ArrivedToken) {
  const slot = slotOf(client, config)
  slot.arrival = { id: tokenId(token), at: Date.now(), skew: skew ?? slot.arrival?.skew ?? 0 }
}

/**
 * Runs `work` once every earlier call for the token of `config` has settled, when the token lives in
 * the `/server` proxy's cookie. The cookie is one slot that each answer overwrites, so its calls must
 * not overtake one another, from any widget of the page; in token mode each call names its token,
 * and `work` runs at once.
 */
export function oneAtATime<T>(config: MindbodyConfig, work: () => Promise<T>): Promise<T> {
  if (config.session !== 'server') return work()
  const slot = cookieSlot(config)
  const result = (slot.queue ?? Promise.resolve()).then(work, work)
  slot.queue = result.catch(() => {})
  return result
}
