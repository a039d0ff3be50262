import { queryOptions, type QueryCache, type QueryClient } from '@tanstack/react-query'
import { tokenSlot } from './tokenSlots'
import { userTokenKeys } from './userTokenKeys'
import type { IssueResponse, MindbodyConfig } from './core/types'

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
      await tokenSlot(client, queryKey).restore
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
