'use client'
import { useMemo } from 'react'
import { useQuery } from '@tanstack/react-query'
import { createMindbodyApi } from '../core/createMindbodyApi'
import { signedInAs } from '../core/signedInAs'
import { apiKey } from '../query/userTokenKeys'
import { userTokenQueryOptions } from '../query/userTokenQueryOptions'
import { useMindbodyClient } from './useMindbodyClient'
import { useMindbodyContext } from './MindbodyContext'
import type { MindbodyApi } from '../core/MindbodyApi'

/**
 * The typed client of the whole Mindbody API, for the provider's site and the signed-in staff member:
 * `api.get(path, { query })`, `api.post(path, { query, body })`, and `put`, `patch`, `delete` alike,
 * where `path` is the description's path after `/public/v{version}` and the query keeps the
 * description's `request.` names. The version, `SiteId` and the token (or, in server mode, the proxy's
 * cookie) are filled in; each call goes through `useMindbodyClient`'s axios instance, so it follows
 * the same rules (a 401 signs out; every failure is a `MindbodyError`). Pass `signal` to cancel.
 * Another staff member gets another client, whose `queryKey` is theirs.
 *
 * @example
 * const api = useMindbodyApi()
 * const { data } = useQuery(mindbodyQueryOptions(api, '/staff/staff', { query: { 'request.limit': 50 } }))
 * const clients = await api.get('/client/clients', { query: { 'request.searchText': 'Ada' } })
 */
export function useMindbodyApi(): MindbodyApi {
  const { config, queryClient } = useMindbodyContext('useMindbodyApi')
  const client = useMindbodyClient()
  // Who is signed in, as the shared token says: this re-renders only when that changes.
  const who = useQuery(
    { ...userTokenQueryOptions(config, { queryClient }), select: signedInAs },
    queryClient,
  ).data
  return useMemo(() => createMindbodyApi(client, apiKey(config, who)), [client, config, who])
}
