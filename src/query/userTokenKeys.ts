import { resolveConfig } from '../core/resolveConfig'
import { signInName } from '../session/sessionPlace'
import type { MindbodyConfig } from '../core/MindbodyConfig'

/**
 * The React Query keys this library reads and writes. There is one token per base URL, site and
 * version, so two providers for two sites can share a `QueryClient` safely.
 *
 * @example
 * const token = queryClient.getQueryData(userTokenKeys.token({ siteId: -99 }))
 * queryClient.invalidateQueries({ queryKey: userTokenKeys.all }) // harmless: the token stays
 */
export const userTokenKeys = {
  /** The prefix of every key of this library. */
  all: ['mindbody-user-token'] as const,
  /** The key of the token for one base URL + site + version (defaults filled in). */
  token(config: Pick<MindbodyConfig, 'baseURL' | 'siteId' | 'version'>) {
    return [...userTokenKeys.all, ...signInName(resolveConfig(config as MindbodyConfig)).parts] as const
  },
  /** The key of the signed-in staff member's permissions, under their token's. */
  permissions(config: Pick<MindbodyConfig, 'baseURL' | 'siteId' | 'version'>) {
    return [...userTokenKeys.token(config), 'permissions'] as const
  },
}

/** The key of the front desk's state (`useDesk`), under the token's: refetched at each change of staff member. */
export const deskKey = (config: Pick<MindbodyConfig, 'baseURL' | 'siteId' | 'version'>) =>
  [...userTokenKeys.token(config), 'desk'] as const

/**
 * The start of the keys of the typed client's calls (`useMindbodyApi`) as `who` (`signedInAs`), or
 * as nobody: a sign-out or a change of staff member removes them.
 */
export const apiKey = (
  config: Pick<MindbodyConfig, 'baseURL' | 'siteId' | 'version'>,
  who: string | undefined,
) => [...userTokenKeys.token(config), 'api', who ?? null] as const
