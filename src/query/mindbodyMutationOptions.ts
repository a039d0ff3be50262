import type { UseMutationOptions } from '@tanstack/react-query'
import type {
  MindbodyAnswer,
  MindbodyApi,
  MindbodyCallOptions,
  MindbodyMethod,
  MindbodyPath,
} from '../core/MindbodyApi'
import type { MindbodyError } from '../core/MindbodyError'

/**
 * A mutation's variables: the call's options (`{ query, body }`), or nothing when the operation
 * requires none.
 *
 * @example
 * const refund: MindbodyMutationVariables<'post', '/sale/returnsale'> = { body: { SaleId: 1234 } }
 */
export type MindbodyMutationVariables<M extends MindbodyMethod, P extends MindbodyPath<M>> =
  object extends MindbodyCallOptions<M, P> ? MindbodyCallOptions<M, P> | void : MindbodyCallOptions<M, P>

/**
 * The mutation of a call of the typed client, for `useMutation`: `mutate({ query, body })` sends
 * `method` to `path` as the signed-in staff member; its key is the client's, the method and the path.
 * It is never retried unless you say so: Mindbody's writes are not all safe to send twice.
 *
 * @example
 * const api = useMindbodyApi()
 * const refund = useMutation(mindbodyMutationOptions(api, 'post', '/sale/returnsale'))
 * refund.mutate({ body: { SaleId: 1234, ReturnReason: 'Charged twice' } })
 */
export function mindbodyMutationOptions<M extends MindbodyMethod, P extends MindbodyPath<M>>(
  api: MindbodyApi,
  method: M,
  path: P,
): UseMutationOptions<MindbodyAnswer<M, P>, MindbodyError, MindbodyMutationVariables<M, P>> {
  const send = api[method] as (path: P, options?: object | void) => Promise<MindbodyAnswer<M, P>>
  return {
    mutationKey: [...api.queryKey, method, path],
    mutationFn: (options) => send(path, options),
  }
}
