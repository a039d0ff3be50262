import {
  hashKey,
  queryOptions,
  type QueryCache,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query'
import { userTokenKeys } from './userTokenKeys'
import type { IssueResponse, MindbodyConfig } from './core/types'

const restores = new WeakMap<QueryClient, Map<string, Promise<unknown>>>()

/** Makes the token query wait for `restore` (reading stored state) before it answers. */
export function whileRestoring(client: QueryClient, queryKey: QueryKey, restore: Promise<unknown>): void {
  if (!restores.has(client)) restores.set(client, new Map())
  restores.get(client)!.set(hashKey(queryKey), restore)
}

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
      await restores.get(client)?.get(hashKey(queryKey))
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
