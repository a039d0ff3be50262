import type { ResolvedMindbodyConfig } from './types'

/**
 * The headers every call of `config`'s site carries: `SiteId`, `Api-Key` when there is one,
 * `Authorization` for `token` in the configured scheme, and the proxy's CSRF header in server mode.
 * A header that does not apply is `undefined`, which axios leaves out.
 */
export const mindbodyHeaders = (
  { siteId, apiKey, authScheme, session }: ResolvedMindbodyConfig,
  token?: string,
): Record<string, string | undefined> => ({
  SiteId: String(siteId),
  'Api-Key': apiKey,
  Authorization: token ? (authScheme === 'raw' ? token : `Bearer ${token}`) : undefined,
  'X-Mindbody-Proxy': session === 'server' ? '1' : undefined,
})
