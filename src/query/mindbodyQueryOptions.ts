import { queryOptions } from '@tanstack/react-query'
import type { MindbodyCallArgs, MindbodyAnswer, MindbodyApi, MindbodyPath } from '../core/MindbodyApi'
import type { MindbodyError } from '../core/MindbodyError'

/** Whether `api` calls as a signed-in staff member: its key ends with who, or `null`. */
const signedIn = (api: MindbodyApi) => api.queryKey[api.queryKey.length - 1] !== null

/**
 * The query of a `GET` of the typed client, for `useQuery`: its key is the client's (the site and
 * the signed-in staff member), the path and the options; its function sends the call with React
 * Query's `AbortSignal`. It waits while nobody is signed in (pass `enabled` to decide otherwise).
 *
 * @example
 * const api = useMindbodyApi()
 * const { data } = useQuery(mindbodyQueryOptions(api, '/class/classes', { query: { 'request.limit': 20 } }))
 * data?.Classes?.map((c) => c.ClassDescription?.Name)
 */
export function mindbodyQueryOptions<P extends MindbodyPath<'get'>>(
  api: MindbodyApi,
  path: P,
  ...[options]: MindbodyCallArgs<'get', P>
) {
  type Answer = MindbodyAnswer<'get', P>
  return queryOptions<Answer, MindbodyError, Answer, readonly unknown[]>({
    queryKey: [...api.queryKey, 'get', path, options ?? {}],
    queryFn: ({ signal }) => api.get<P>(path, ...([{ ...options, signal }] as MindbodyCallArgs<'get', P>)),
    enabled: signedIn(api),
  })
}
