'use client'
import { createContext, useContext } from 'react'
import type { QueryClient } from '@tanstack/react-query'
import type { TokenSession } from '../session/createTokenSession'
import type { ResolvedMindbodyConfig } from '../core/MindbodyConfig'

/** What `MindbodyProvider` hands to its hooks. */
export interface MindbodyContextValue {
  config: ResolvedMindbodyConfig
  queryClient: QueryClient
  session: TokenSession
}

export const MindbodyContext = createContext<MindbodyContextValue | undefined>(undefined)
MindbodyContext.displayName = 'MindbodyContext'

/** The provider's value; throws a sentence naming `hook` and the fix when there is no provider. */
export function useMindbodyContext(hook: string): MindbodyContextValue {
  const value = useContext(MindbodyContext)
  if (!value)
    throw new Error(
      `${hook} must be used inside <MindbodyProvider>: wrap this part of your app in <MindbodyProvider siteId={…}>.`,
    )
  return value
}
