'use client'
import { useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { QueryClient, QueryClientContext } from '@tanstack/react-query'
import { MindbodyContext } from './MindbodyContext'
import { resolveConfig } from './core/resolveConfig'
import type { MindbodyConfig } from './core/types'

/** Props of `MindbodyProvider`: the `MindbodyConfig` fields, a `QueryClient` and children. */
export interface MindbodyProviderProps extends MindbodyConfig {
  /**
   * The `QueryClient` that holds the token. Default: the nearest `QueryClientProvider`'s, else a
   * private one, so an embedded widget needs no React Query set-up.
   */
  queryClient?: QueryClient
  children?: ReactNode
}

/**
 * Holds the site and version config for the hooks below it.
 *
 * @example
 * <MindbodyProvider siteId={-99} baseURL="/mindbody">
 *   <StaffPortal />
 * </MindbodyProvider>
 */
export function MindbodyProvider({ children, queryClient, ...props }: MindbodyProviderProps) {
  const nearest = useContext(QueryClientContext)
  const [own] = useState(() => new QueryClient())
  const client = queryClient ?? nearest ?? own
  const { siteId, version, apiKey, baseURL, axios, authScheme, timeoutMs } = props

  useEffect(() => {
    if (client !== own) return
    client.mount()
    return () => client.unmount()
  }, [client, own])

  const value = useMemo(
    () => ({
      config: resolveConfig({ siteId, version, apiKey, baseURL, axios, authScheme, timeoutMs }),
      queryClient: client,
    }),
    [siteId, version, apiKey, baseURL, axios, authScheme, timeoutMs, client],
  )
  return <MindbodyContext.Provider value={value}>{children}</MindbodyContext.Provider>
}
