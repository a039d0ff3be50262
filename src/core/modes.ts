import { MindbodyError } from './MindbodyError'
import { checkCommon, isHeaderValue, need } from './validate'
import type { ResolvedMindbodyConfig } from './MindbodyConfig'

/**
 * What differs between the two modes on the wire, chosen once per config: every part asks its mode
 * rather than testing the flag. Token mode sends the token and the API key itself; server mode talks
 * to the `/server` proxy, which holds both, marks each call with its CSRF header, answers tokens
 * without their `AccessToken`, and keeps one cookie that each answer overwrites.
 */
export interface Mode {
  /** The mode's extra headers for `config`'s calls, with the token (token mode) in its scheme. */
  headers(config: ResolvedMindbodyConfig, token?: string): Record<string, string | undefined>
  /** Checks the mode's own fields of a config. */
  check(config: ResolvedMindbodyConfig): void
  /** Checks a token before it is sent; server mode sends none. */
  checkToken(token: string | undefined): void
  /** Whether the answers carry no `AccessToken`: the real one stays on the server. */
  hidesToken: boolean
  /** Whether calls must not overtake one another: each answer overwrites the proxy's one cookie. */
  inOrder: boolean
  /** Whether a `/server` proxy answers: its own routes (sessions, the desk) exist. */
  proxied: boolean
}

const tokenMode: Mode = {
  headers: ({ apiKey, authScheme }, token) => ({
    'Api-Key': apiKey,
    Authorization: token ? (authScheme === 'raw' ? token : `Bearer ${token}`) : undefined,
  }),
  check({ apiKey, authScheme }) {
    need(apiKey === undefined || isHeaderValue(apiKey), 'apiKey')
    need(authScheme === 'Bearer' || authScheme === 'raw', 'authScheme')
  },
  checkToken: (token) => void (token !== undefined && need(isHeaderValue(token), 'accessToken')),
  hidesToken: false,
  inOrder: false,
  proxied: false,
}

const serverMode: Mode = {
  headers: () => ({ 'X-Mindbody-Proxy': '1' }),
  check: ({ apiKey, authScheme }) => tokenModeOnly({ apiKey, authScheme }),
  checkToken: () => {},
  hidesToken: true,
  inOrder: true,
  proxied: true,
}

/**
 * Refuses, in server mode, each field that only token mode takes: `apiKey` (the proxy adds it),
 * `authScheme`, and the provider's `storage` and `storageKey` (the token stays on the server).
 */
export function tokenModeOnly(fields: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(fields))
    need(value === undefined, `${field}: only with mode="token"`)
}

/** Throws `'invalid-input'`, saying so, unless `config`'s mode has the `/server` proxy, where `what` lives. */
export function needProxy(config: Pick<ResolvedMindbodyConfig, 'mode'>, what: string): void {
  if (!modeOf(config).proxied)
    throw new MindbodyError(
      'invalid-input',
      `${what} lives on the /server proxy: use it with <MindbodyProvider mode="server">`,
    )
}

/** The mode of `config`. */
export const modeOf = (config: Pick<ResolvedMindbodyConfig, 'mode'>): Mode =>
  config.mode === 'server' ? serverMode : tokenMode

/** Checks every field of a resolved config, throwing `'invalid-input'` on the first bad one. */
export function checkConfig(config: ResolvedMindbodyConfig): void {
  checkCommon(config)
  modeOf(config).check(config)
}
