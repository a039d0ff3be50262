import {
  hashKey,
  queryOptions,
  type QueryCache,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query'
import { userTokenKeys } from './userTokenKeys'
import type { IssueResponse, MindbodyConfig } from './core/types'

/** What one token of one QueryClient needs besides its data: its restore, and a turn counter. */
interface Slot {
  restore?: Promise<unknown>
  turn: number
}
const slots = new WeakMap<QueryClient, Map<string, Slot>>()

const slot = (client: QueryClient, queryKey: QueryKey): Slot => {
  if (!slots.has(client)) slots.set(client, new Map())
  const byKey = slots.get(client)!
  const hash = hashKey(queryKey)
  if (!byKey.has(hash)) byKey.set(hash, { turn: 0 })
  return byKey.get(hash)!
}

/** Makes the token query wait for `restore` (reading stored state) before it answers. */
export function whileRestoring(client: QueryClient, queryKey: QueryKey, restore: Promise<unknown>): void {
  slot(client, queryKey).restore = restore
}

/**
 * Starts a new turn for the token of `config`: every sign-in and sign-out takes one, and a sign-in
 * may write its token only if no other turn began meanwhile. The last action wins.
 */
export const takeTurn = (client: QueryClient, config: MindbodyConfig): number =>
  ++slot(client, userTokenKeys.token(config)).turn

/** Whether `turn` is still the latest for the token of `config`. */
export const isLatestTurn = (client: QueryClient, config: MindbodyConfig, turn: number): boolean =>
  slot(client, userTokenKeys.token(config)).turn === turn

/**
 * The query that holds the shared token (`null` when signed out). It never fetches: its data is
 * written by sign-in, renew and sign-out, and restored from storage by `MindbodyProvider`, so a
 * refetch or `invalidateQueries()` keeps what is there.
 *
 * @example
 * const { data: token } = useQuery(userTokenQueryOptions({ siteId: -99 }))
 */
export const userTokenQueryOptions = (config: MindbodyConfig) =>
  queryOptions({
    queryKey: userTokenKeys.token(config),
    queryFn: async ({ client, queryKey }) => {
      await slot(client, queryKey).restore
      return client.getQueryData<IssueResponse | null>(queryKey) ?? null
    },
    staleTime: Infinity,
    gcTime: Infinity,
    networkMode: 'always',
  })

/** Reads the shared token of `config` from `client`. */
export const getToken = (client: QueryClient, config: MindbodyConfig): IssueResponse | null =>
  client.getQueryData(userTokenKeys.token(config)) ?? null

/** Writes the shared token of `config` to `client`, creating its query so it is never garbage-collected. */
export function setToken(client: QueryClient, config: MindbodyConfig, token: IssueResponse | null): void {
  const options = userTokenQueryOptions(config)
  client.getQueryCache().build(client, options as Parameters<QueryCache['build']>[1])
  client.setQueryData(options.queryKey, token)
}
