import { queryOptions, type QueryCache, type QueryClient } from '@tanstack/react-query'
import { resolveConfig } from '../core/resolveConfig'
import { need } from '../core/validate'
import { signedInAs } from '../core/signedInAs'
import { followedRecord } from '../session/pageRecord'
import { signInName } from '../session/sessionPlace'
import { apiKey, deskKey, userTokenKeys } from './userTokenKeys'
import type { IssueResponse } from '../core/types'
import type { MindbodyConfig } from '../core/MindbodyConfig'

/**
 * The second argument of every option factory.
 *
 * @example
 * const options: FactoryOptions = { queryClient }
 */
export interface FactoryOptions {
  /**
   * The `QueryClient` to keep the token in. Leave it out on `@tanstack/react-query` 5.89 and later,
   * which hands its client to `queryFn` and `mutationFn`.
   */
  queryClient?: QueryClient
}

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
 * The query that holds the shared token (`null` when signed out). It never fetches: every provider
 * copies the page's token into its QueryClient, and the mutation factories write it too, so a refetch
 * or `invalidateQueries()` keeps what is there. It waits for a provider's first read of a kept token.
 *
 * @example
 * const { data: token } = useQuery(userTokenQueryOptions({ siteId: -99 }, { queryClient }))
 */
export const userTokenQueryOptions = (config: MindbodyConfig, { queryClient }: FactoryOptions = {}) =>
  // eslint-disable-next-line @tanstack/query/exhaustive-deps -- the client holds the query; it is not an input
  queryOptions({
    queryKey: userTokenKeys.token(config),
    queryFn: async (context) => {
      const client = clientOf(queryClient, context)
      await followedRecord(signInName(resolveConfig(config)).site)?.store.reading
      return client.getQueryData<IssueResponse | null>(context.queryKey) ?? null
    },
    staleTime: Infinity,
    gcTime: Infinity,
    networkMode: 'always',
  })

/** Reads the shared token of `config` from `client`. */
export const getToken = (client: QueryClient, config: MindbodyConfig): IssueResponse | null =>
  client.getQueryData(userTokenKeys.token(config)) ?? null

/**
 * Writes the shared token of `config` to `client`, creating its query so it is never garbage-collected.
 * A sign-out (a lock among them) or another staff member resets what `client` knew of the permissions,
 * reads the front desk again, and forgets the answers of the typed client (`useMindbodyApi`) to the
 * staff member before; a renewal does none of these.
 */
export function setToken(client: QueryClient, config: MindbodyConfig, token: IssueResponse | null): void {
  const options = userTokenQueryOptions(config, { queryClient: client })
  const before = client.getQueryData<IssueResponse | null>(options.queryKey) ?? null
  client.getQueryCache().build(client, options as Parameters<QueryCache['build']>[1])
  client.setQueryData(options.queryKey, token)
  if (!token || signedInAs(token) !== signedInAs(before)) {
    void client.resetQueries({ queryKey: userTokenKeys.permissions(config) })
    void client.invalidateQueries({ queryKey: deskKey(config) })
    client.removeQueries({ queryKey: apiKey(config, signedInAs(before)) })
  }
}
