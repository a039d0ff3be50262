import { hashKey, queryOptions, type QueryCache, type QueryClient } from '@tanstack/react-query'
import { clientOf, noteArrival, tokenSlot } from './tokenSlots'
import { userTokenKeys } from './userTokenKeys'
import type { ArrivedToken, IssueResponse, MindbodyConfig } from '../core/types'

/**
 * The query that holds the shared token (`null` when signed out). It never fetches: its data is
 * written by sign-in, renew and sign-out, and restored from storage by `MindbodyProvider`, so a
 * refetch or `invalidateQueries()` keeps what is there. Pass the `QueryClient` on
 * `@tanstack/react-query` before 5.89; later versions hand it to the query themselves.
 *
 * @example
 * const { data: token } = useQuery(userTokenQueryOptions({ siteId: -99 }, queryClient))
 */
export const userTokenQueryOptions = (config: MindbodyConfig, queryClient?: QueryClient) =>
  // eslint-disable-next-line @tanstack/query/exhaustive-deps -- the client holds the query; it is not an input
  queryOptions({
    queryKey: userTokenKeys.token(config),
    queryFn: async (context) => {
      const client = clientOf(queryClient, context)
      await tokenSlot(client, context.queryKey).restore
      return client.getQueryData<IssueResponse | null>(context.queryKey) ?? null
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
  const options = userTokenQueryOptions(config, client)
  client.getQueryCache().build(client, options as Parameters<QueryCache['build']>[1])
  client.setQueryData(options.queryKey, token)
}

/**
 * Writes a token that has just arrived, from the server or another tab, with the skew of the server's
 * clock it came with: the session times its expiry from both.
 */
export function setArrivedToken(client: QueryClient, config: MindbodyConfig, arrived: ArrivedToken) {
  noteArrival(client, config, arrived)
  setToken(client, config, arrived.token)
}

/** Calls `listener` on every change to the token of `config` in `client`; returns the unsubscribe. */
export function watchToken(client: QueryClient, config: MindbodyConfig, listener: () => void): () => void {
  const hash = hashKey(userTokenKeys.token(config))
  return client.getQueryCache().subscribe((event) => {
    if (event.query.queryHash === hash) listener()
  })
}
