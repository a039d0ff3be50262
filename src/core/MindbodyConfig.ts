import type { AxiosInstance } from 'axios'

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
