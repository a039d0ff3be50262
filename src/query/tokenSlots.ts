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

/** What one token of one QueryClient needs besides its data: its restore and its arrival. */
interface Slot {
  restore?: Promise<unknown>
  arrival?: Arrival
}
const slots = new WeakMap<QueryClient, Record<string, Slot>>()

/**
 * Whose sign-in or sign-out came last for one sign-in of the page, whichever widget acts (its own
 * React root and QueryClient, or a separate bundle): every sign-in and sign-out moves `turn` on. In
 * server mode also the last call to the proxy, which the next one waits for. Version 1 of a shape that
 * every copy of this library reads, on `globalThis` under `Symbol.for('react-mindbody-user-token/turns@1')`.
 */
interface Turns {
  turn: number
  queue?: Promise<unknown>
}
const TURNS = Symbol.for('react-mindbody-user-token/turns@1')

/**
 * The page's turns for the sign-in of `config`: one per base URL, site and version, and in server mode
 * one per base URL and site, as the proxy's cookie is.
 */
function turnsOf(config: MindbodyConfig): Turns {
  const [, baseURL, siteId, version] = userTokenKeys.token(config)
  const turns = ((globalThis as { [TURNS]?: Record<string, Turns> })[TURNS] ??= {})
  const server = config.mode === 'server'
  return (turns[`${baseURL} ${siteId} ${server ? 'server' : version}`] ??= { turn: 0 })
}

/** The bookkeeping of one token: created on first use, kept as long as its QueryClient. */
export const tokenSlot = (client: QueryClient, queryKey: QueryKey): Slot => {
  let byKey = slots.get(client)
  if (!byKey) slots.set(client, (byKey = {}))
  return (byKey[hashKey(queryKey)] ??= {})
}

/** The bookkeeping of the token of `config`. */
const slotOf = (client: QueryClient, config: MindbodyConfig): Slot =>
  tokenSlot(client, userTokenKeys.token(config))

/** Makes the token query wait for `restore` (reading stored state) before it answers. */
export function whileRestoring(client: QueryClient, queryKey: QueryKey, restore: Promise<unknown>): void {
  tokenSlot(client, queryKey).restore = restore
}

/**
 * Starts a new turn for the sign-in of `config` on the page: every sign-in and sign-out takes one, in
 * any widget, and a sign-in may write its token only if no other turn began meanwhile. The last action
 * wins.
 */
export const takeTurn = (config: MindbodyConfig): number => ++turnsOf(config).turn

/** Whether `turn` is still the latest for the sign-in of `config` on the page. */
export const isLatestTurn = (config: MindbodyConfig, turn: number): boolean => turnsOf(config).turn === turn

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
  if (config.mode !== 'server') return work()
  const slot = turnsOf(config)
  const result = (slot.queue ?? Promise.resolve()).then(work, work)
  slot.queue = result.catch(() => {})
  return result
}
