'use client'
import { useContext, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from 'react'
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query'
import { createTokenSession } from '../session/createTokenSession'
import type { SignOutReason } from '../session/signOutReason'
import { getToken, setToken } from '../query/userTokenQueryOptions'
import { MindbodyContext } from './MindbodyContext'
import { configKeys, resolveConfig } from '../core/resolveConfig'
import type { UserTokenStorageOption } from '../session/userTokenStorage'
import type { IdleOptions } from '../session/idleTimeout'
import type { MindbodyConfig, ServerModeConfig, TokenModeConfig } from '../core/MindbodyConfig'

/**
 * Props of `MindbodyProvider` in either mode: the `MindbodyConfig` fields (`mode` among them), the
 * token's lifecycle, and children. Token mode adds where the token is kept (`storage`, `storageKey`);
 * server mode adds how often to ask the proxy (`revalidateMs`). TypeScript refuses the other mode's.
 *
 * @example
 * const props: MindbodyProviderProps = { siteId: -99, baseURL: '/mindbody', storage: 'session' }
 * const production: MindbodyProviderProps = { siteId: -99, baseURL: '/mindbody', mode: 'server' }
 */
export type MindbodyProviderProps = MindbodyLifecycleProps &
  (
    | (TokenModeConfig & {
        /**
         * Where the token survives a reload: `'memory'` (default), `'session'`, `'local'` (synced across
         * tabs) or a custom `{ getItem, setItem, removeItem, subscribe? }`. Keep a custom one stable.
         */
        storage?: UserTokenStorageOption
        /** The storage key. Default: derived from base URL, site and version. */
        storageKey?: string
        revalidateMs?: never
      })
    | (ServerModeConfig & {
        /**
         * Ask the proxy whether the session lasts every this many ms, and on window focus and coming
         * back online; `false` only on focus and online. Default 5 minutes.
         */
        revalidateMs?: number | false
        storage?: never
        storageKey?: never
      })
  )

/**
 * The props of `MindbodyProvider` that both modes take: the token's lifecycle and children.
 *
 * @example
 * const lifecycle: MindbodyLifecycleProps = { autoRenew: true, idle: { timeoutMs: 10 * 60_000 } }
 */
export interface MindbodyLifecycleProps {
  /**
   * The `QueryClient` that holds the token. Default: the nearest `QueryClientProvider`'s, else one of
   * its own, so an embedded widget needs no React Query set-up. With no `QueryClientProvider` above, it
   * gives its children this client, so their own `useQuery` works too. Whichever it is, the providers of
   * one page that keep the token in the same place share one session.
   */
  queryClient?: QueryClient
  /** A token counts as expired this long before its `Expires`, for clock skew. Default 30 000. */
  expiryLeewayMs?: number
  /**
   * Renew the token before it expires, while the page is open: `true` 5 minutes before, or
   * `{ beforeExpiryMs }`. Default: off.
   */
  autoRenew?:
    | boolean
    | {
        /** How long before expiry to renew. Default 5 minutes. */
        beforeExpiryMs?: number
      }
  /**
   * Sign out, as `'idle'`, after `timeoutMs` with no activity in any tab or provider of the session;
   * `useIdleTimeout` warns `warnBeforeMs` (default 60 s) before. In server mode, activity is also
   * reported to the proxy, at most once a minute, and `action: 'lock'` locks the front desk instead,
   * as `'locked'`. Default: no idle limit.
   */
  idle?: IdleOptions
  /** Called once for each sign-out, whatever its cause. */
  onSignOut?: (reason: SignOutReason) => void
  /** The part of the app that uses the hooks. */
  children?: ReactNode
}

const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect

/**
 * Holds the site and version config for the hooks below it, and runs the token's life: it restores
 * a stored token, keeps storage in step, signs out at expiry, renews, and follows the page's other
 * providers (other React roots, other bundles of this library) and other tabs. With
 * `mode="server"` the token stays in the `/server` proxy's cookie: the same hooks work, and
 * `accessToken` is `null`.
 *
 * @example
 * <MindbodyProvider siteId={-99} baseURL="/mindbody" storage="local" autoRenew>
 *   <StaffPortal />
 * </MindbodyProvider>
 */
export function MindbodyProvider(props: MindbodyProviderProps) {
  const {
    children,
    queryClient,
    storage,
    storageKey,
    expiryLeewayMs,
    autoRenew,
    idle,
    revalidateMs,
    onSignOut,
    ...fields
  } = props
  const nearest = useContext(QueryClientContext)
  const [own] = useState(() => new QueryClient())
  const client = queryClient ?? nearest ?? own
  const renewBeforeMs = autoRenew
    ? ((autoRenew === true ? undefined : autoRenew.beforeExpiryMs) ?? 5 * 60_000)
    : undefined

  const deps = configKeys.map((key) => (fields as TokenModeConfig)[key])
  // eslint-disable-next-line react-hooks/exhaustive-deps, react-hooks/use-memo -- the config is exactly its fields
  const config = useMemo(() => resolveConfig(fields as MindbodyConfig), deps)
  const { timeoutMs, warnBeforeMs, action } = idle ?? ({} as Partial<IdleOptions>)
  const idled = useMemo(
    () => (timeoutMs === undefined ? undefined : { timeoutMs, warnBeforeMs, action }),
    [timeoutMs, warnBeforeMs, action],
  )
  const value = useMemo(() => {
    const session = createTokenSession({
      config,
      storage,
      storageKey,
      expiryLeewayMs,
      renewBeforeMs,
      idle: idled,
      revalidateMs,
      mirror: {
        get: () => getToken(client, config),
        // Each root gets its own copy of the page's token.
        set: (token) => setToken(client, config, token && structuredClone(token)),
      },
    })
    return { config, queryClient: client, session }
  }, [config, client, storage, storageKey, expiryLeewayMs, renewBeforeMs, idled, revalidateMs])

  useIsomorphicLayoutEffect(() => value.session.start(), [value])
  useEffect(() => (onSignOut ? value.session.onSignOut(onSignOut) : undefined), [value, onSignOut])

  const provided = <MindbodyContext.Provider value={value}>{children}</MindbodyContext.Provider>
  // With no QueryClientProvider above, the children get the token's client, which it also mounts.
  return nearest ? provided : <QueryClientProvider client={client}>{provided}</QueryClientProvider>
}
