import { queryOptions, type QueryClient } from '@tanstack/react-query'
import { retryDelayAfter, retryWhenRetryable } from '../core/retryPolicy'
import { pagePermissions } from '../session/pagePermissions'
import { actionsFor, type TokenActions } from '../session/tokenActions'
import { clientOf, getToken, type FactoryOptions } from './userTokenQueryOptions'
import { userTokenKeys } from './userTokenKeys'

/** The permissions query over `actions` (a provider's session, or the page's sign-in of `config`). */
export const permissionsOptions = (
  config: Parameters<typeof userTokenKeys.permissions>[0],
  queryClient: QueryClient | undefined,
  actions: () => TokenActions,
) =>
  // eslint-disable-next-line @tanstack/query/exhaustive-deps -- the client and the session hold the query; they are not inputs
  queryOptions({
    queryKey: userTokenKeys.permissions(config),
    queryFn: (context) => {
      const session = actions()
      return pagePermissions(session, session.token() ?? getToken(clientOf(queryClient, context), config))
    },
    staleTime: Infinity,
    retry: retryWhenRetryable(),
    retryDelay: retryDelayAfter(undefined),
  })

/**
 * The query of what the signed-in staff member may do (`GET /staff/staffpermissions`, `null` when
 * signed out), for your own `useQuery`; `useStaffPermissions` is built from it. The page reads them once
 * per sign-in, whichever providers and queries ask: a renewal keeps them, a sign-out forgets them.
 * Owners and admins get every permission with no call.
 *
 * @example
 * const { data } = useQuery(staffPermissionsQueryOptions({ siteId: -99 }, { queryClient }))
 * const mayRefund = data?.permissions.has('RefundSales') ?? false
 */
export const staffPermissionsQueryOptions = (
  config: Parameters<typeof actionsFor>[0],
  { queryClient }: FactoryOptions = {},
) => permissionsOptions(config, queryClient, () => actionsFor(config))
