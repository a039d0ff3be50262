import type { MindbodyPaths } from './mindbodyPaths'

/**
 * An HTTP method of Mindbody's API, in axios's lower case.
 *
 * @example
 * const method: MindbodyMethod = 'post'
 */
export type MindbodyMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/**
 * The paths with an operation for `method`, as the description writes them after `/public/v{version}`.
 *
 * @example
 * const path: MindbodyPath<'get'> = '/class/classes'
 */
export type MindbodyPath<M extends MindbodyMethod> = {
  [P in keyof MindbodyPaths]: M extends keyof MindbodyPaths[P] ? P : never
}[keyof MindbodyPaths]

/**
 * What a call of `method` to `path` takes: its `path` parameters, its `query` (with the description's
 * `request.` names) and its `body`, each required when the description requires any of it.
 *
 * @example
 * const options: MindbodyCallOptions<'get', '/class/classes'> = { query: { 'request.limit': 20 } }
 */
export type MindbodyCallOptions<M extends MindbodyMethod, P extends MindbodyPath<M>> = Omit<
  MindbodyPaths[P][M & keyof MindbodyPaths[P]],
  'answer'
>

/**
 * What a call of `method` to `path` resolves to: the description's success answer (`void` for a 204).
 *
 * @example
 * type Classes = MindbodyAnswer<'get', '/class/classes'>['Classes']
 */
export type MindbodyAnswer<M extends MindbodyMethod, P extends MindbodyPath<M>> = MindbodyPaths[P][M &
  keyof MindbodyPaths[P]] extends { answer: infer A }
  ? A
  : never

/**
 * The options argument of a call, as a rest parameter: optional when the operation requires nothing,
 * with an `AbortSignal` besides.
 *
 * @example
 * const read = <P extends MindbodyPath<'get'>>(path: P, ...options: MindbodyCallArgs<'get', P>) => api.get(path, ...options)
 */
export type MindbodyCallArgs<M extends MindbodyMethod, P extends MindbodyPath<M>> =
  object extends MindbodyCallOptions<M, P>
    ? [options?: MindbodyCallOptions<M, P> & { signal?: AbortSignal }]
    : [options: MindbodyCallOptions<M, P> & { signal?: AbortSignal }]

/**
 * One method of `MindbodyApi`: a path of that method and its options in, its typed answer out.
 *
 * @example
 * const read: MindbodyCall<'get'> = api.get
 */
export type MindbodyCall<M extends MindbodyMethod> = <P extends MindbodyPath<M>>(
  path: P,
  ...options: MindbodyCallArgs<M, P>
) => Promise<MindbodyAnswer<M, P>>

/**
 * A typed client of the whole Mindbody API for the signed-in staff member, as `useMindbodyApi`
 * returns it. Each method takes a path as the description writes it after `/public/v{version}`,
 * and resolves to the typed answer or rejects with a `MindbodyError`.
 *
 * @example
 * const { Classes } = await api.get('/class/classes', { query: { 'request.startDateTime': today } })
 * await api.post('/sale/returnsale', { body: { SaleId: 1234, ReturnReason: 'Duplicate' } })
 */
export interface MindbodyApi {
  /** Sends a `GET`. */
  get: MindbodyCall<'get'>
  /** Sends a `POST`. */
  post: MindbodyCall<'post'>
  /** Sends a `PUT`. */
  put: MindbodyCall<'put'>
  /** Sends a `PATCH`. */
  patch: MindbodyCall<'patch'>
  /** Sends a `DELETE`. */
  delete: MindbodyCall<'delete'>
  /**
   * The start of every React Query key of this client's calls: the site and the signed-in staff
   * member, so no cache is shared between two staff members. `mindbodyQueryOptions` uses it.
   */
  readonly queryKey: readonly unknown[]
}
