import type { MindbodyConfig, ResolvedMindbodyConfig, TokenModeConfig } from './MindbodyConfig'

/** The fields of a `MindbodyConfig`, listed once: the provider takes exactly these from its props. */
export const configKeys = [
  'siteId',
  'version',
  'apiKey',
  'baseURL',
  'axios',
  'authScheme',
  'timeoutMs',
  'mode',
] as const satisfies ReadonlyArray<keyof TokenModeConfig>

const or = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value)

/** Fills in the defaults of a `MindbodyConfig`; validation happens when a request is made. */
export function resolveConfig(config: MindbodyConfig): ResolvedMindbodyConfig {
  const baseURL = or(config.baseURL, 'https://api.mindbodyonline.com')
  const common = {
    ...config,
    version: or(config.version, '6'),
    baseURL: typeof baseURL === 'string' ? baseURL.replace(/\/+$/, '') : baseURL,
  }
  return (
    config.mode === 'server'
      ? common
      : { ...common, mode: or(config.mode, 'token'), authScheme: or(config.authScheme, 'raw') }
  ) as ResolvedMindbodyConfig
}
