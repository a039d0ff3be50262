import { modeOf } from './modes'
import type { ResolvedMindbodyConfig } from './MindbodyConfig'

/**
 * The headers every call of `config`'s site carries: `SiteId`, and those of its mode (`Api-Key` and
 * `Authorization` in token mode, the proxy's CSRF header in server mode). A header that does not
 * apply is `undefined`, which axios leaves out.
 */
export const mindbodyHeaders = (
  config: ResolvedMindbodyConfig,
  token?: string,
): Record<string, string | undefined> => ({
  SiteId: String(config.siteId),
  ...modeOf(config).headers(config, token),
})
