import type { AxiosInstance } from 'axios'

/**
 * The kind of user a token stands for. Owner and Admin users always have `Id` 0. Mindbody may add
 * kinds, so any other string can arrive too; the three known ones still autocomplete.
 *
 * @example
 * const isOwner = (type?: UserType) => type === 'Owner' || type === 'Admin'
 */
export type UserType = 'Staff' | 'Owner' | 'Admin' | (string & {})

/**
 * The user a token represents, as Mindbody returns it.
 *
 * @example
 * const name = (user: User) => [user.FirstName, user.LastName].filter(Boolean).join(' ')
 */
export interface User {
  /** The user's ID at the business; always 0 for owners and admins. */
  Id?: number
  FirstName?: string
  LastName?: string
  Type?: UserType
}

/**
 * The body of `POST /usertoken/issue`: a staff member's Mindbody credentials.
 *
 * @example
 * const request: IssueRequest = { Username: 'ada', Password: form.password.value }
 */
export interface IssueRequest {
  /** The staff member's username. */
  Username: string
  /** The staff member's password: sent once, kept nowhere. */
  Password: string
}

/**
 * A staff user token as Mindbody returns it; only these fields are kept.
 *
 * @example
 * const token: IssueResponse = await api.issue(request)
 * fetch(url, { headers: { Authorization: token.AccessToken } })
 */
export interface IssueResponse {
  /** The token to send in `Authorization`. */
  AccessToken: string
  /** Usually `'Bearer'`; the token is still sent as it is unless `authScheme` is `'Bearer'`. */
  TokenType?: string
  /** Expiry in UTC, as an ISO 8601 string; read as UTC when it has no offset. */
  Expires?: string
  /** Who signed in. */
  User?: User
}

/** A token as it arrived, with how far the server's clock ran ahead of this device's then, in ms. */
export interface ArrivedToken {
  token: IssueResponse
  /** From the answer's `Date` header; `undefined` when it had none. */
  skew?: number
}

/**
 * What every `MindbodyConfig` has, whatever its mode.
 *
 * @example
 * const common: MindbodyConfigBase = { siteId: -99, baseURL: '/mindbody', timeoutMs: 10_000 }
 */
export interface MindbodyConfigBase {
  /** The Mindbody site id, an integer (`-99` is the public sandbox). Sent as `SiteId`. */
  siteId: string | number
  /** The Public API version. Default `'6'`. */
  version?: string | number
  /** Default `'https://api.mindbodyonline.com'`. A same-origin path such as `'/mindbody'` works too. */
  baseURL?: string
  /** An axios instance to send requests with (interceptors, adapters). Default: axios itself. */
  axios?: AxiosInstance
  /** Abort a request that takes longer than this, with a `'timeout'` error. */
  timeoutMs?: number
}

/**
 * Token mode (the default): the browser holds the staff token and sends it itself.
 *
 * @example
 * const config: TokenModeConfig = { siteId: -99, apiKey: import.meta.env.VITE_MINDBODY_API_KEY }
 */
export interface TokenModeConfig extends MindbodyConfigBase {
  mode?: 'token'
  /** Your developer API key, sent as `Api-Key`. Leave it out when a proxy adds it. */
  apiKey?: string
  /**
   * `'raw'` (default) sends `Authorization: <token>`, as Mindbody's documentation and official SDK do;
   * `'Bearer'` sends `Authorization: Bearer <token>`.
   */
  authScheme?: 'Bearer' | 'raw'
}

/**
 * Server mode: `baseURL` is the `/server` proxy, which holds the token and the API key; the browser
 * never sees either, so there is no `apiKey` or `authScheme` to give.
 *
 * @example
 * const config: ServerModeConfig = { mode: 'server', siteId: -99, baseURL: '/mindbody' }
 */
export interface ServerModeConfig extends MindbodyConfigBase {
  mode: 'server'
  apiKey?: never
  authScheme?: never
}

/**
 * Where and how to reach Mindbody, in one of two modes: `'token'` (default, the browser holds the
 * token) or `'server'` (the `/server` proxy holds it). Shared by `createUserTokenApi` and
 * `MindbodyProvider`; TypeScript refuses an option of the other mode.
 *
 * @example
 * const config: MindbodyConfig = { siteId: -99, baseURL: '/mindbody' }
 * const production: MindbodyConfig = { mode: 'server', siteId: -99, baseURL: '/mindbody' }
 */
export type MindbodyConfig = TokenModeConfig | ServerModeConfig

/**
 * A `MindbodyConfig` with its defaults filled in and `baseURL` without a trailing slash.
 *
 * @example
 * const { baseURL, version, mode } = useMindbodyConfig() // 'https://api.mindbodyonline.com', '6', 'token'
 */
export type ResolvedMindbodyConfig = MindbodyConfigBase & {
  version: string | number
  baseURL: string
} & (
    | (TokenModeConfig & { mode: 'token'; authScheme: 'Bearer' | 'raw' })
    | (ServerModeConfig & { mode: 'server' })
  )

/**
 * Options for one call of `createUserTokenApi`.
 *
 * @example
 * await api.issue(request, { signal: AbortSignal.timeout(10_000) })
 */
export interface RequestOptions {
  /** Cancels the request; it then rejects with a `'aborted'` error. */
  signal?: AbortSignal
}

/**
 * The three user-token calls, as plain promises.
 *
 * @example
 * const api = createUserTokenApi({ siteId: -99, apiKey })
 * const token = await api.issue({ Username, Password })
 * await api.revoke(token.AccessToken)
 */
export interface UserTokenApi {
  /** `POST /usertoken/issue`: signs a staff member in. */
  issue(request: IssueRequest, options?: RequestOptions): Promise<IssueResponse>
  /** `DELETE /usertoken/revoke`: makes the token unusable. */
  revoke(accessToken: string, options?: RequestOptions): Promise<void>
  /**
   * `POST /usertoken/renew`: extends the token's life. Any 2xx is a renewal, whatever its body: the
   * answer's valid fields are merged over `token`, and when it has no valid `Expires`, the new one is
   * the old plus 24 hours, as Mindbody documents. Given only the `AccessToken` string, the result has
   * an `Expires` only when the answer does.
   */
  renew(token: IssueResponse | string, options?: RequestOptions): Promise<IssueResponse>
}
