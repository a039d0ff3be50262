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

/** What one token of one QueryClient needs besides its data: its restore, a turn counter, its arrival. */
interface Slot {
  restore?: Promise<unknown>
  turn: number
  arrival?: Arrival
  /** The last call to the `/server` proxy, which the next one waits for. */
  queue?: Promise<unknown>
}
const slots = new WeakMap<QueryClient, Record<string, Slot>>()

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
 * Starts a new turn for the token of `config`: every sign-in and sign-out takes one, and a sign-in
 * may write its token only if no other turn began meanwhile. The last action wins.
 */
export const takeTurn = (client: QueryClient, config: MindbodyConfig): number => ++slotOf(client, config).turn

/** Whether `turn` is still the latest for the token of `config`. */
export const isLatestTurn = (client: QueryClient, config: MindbodyConfig, turn: number): boolean =>
  slotOf(client, config).turn === turn

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
 * not overtake one another; in token mode each call names its token, and `work` runs at once.
 */
export function oneAtATime<T>(
  client: QueryClient,
  config: MindbodyConfig,
  work: () => Promise<T>,
): Promise<T> {
  if (config.session !== 'server') return work()
  const slot = slotOf(client, config)
  const result = (slot.queue ?? Promise.resolve()).then(work, work)
  slot.queue = result.catch(() => {})
  return result
}
