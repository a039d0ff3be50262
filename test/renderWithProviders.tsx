import { StrictMode, type ReactNode } from 'react'
import { render, renderHook } from '@testing-library/react'
import { QueryClient } from '@tanstack/react-query'
import {
  MindbodyProvider,
  type MindbodyLifecycleProps,
  type MindbodyProviderProps,
  type TokenModeConfig,
  type UserTokenStorageOption,
} from '../src'

/** Any provider props, of either mode, so a test can also pass what the types refuse. */
export type ProvidersOptions = Partial<MindbodyLifecycleProps & Omit<TokenModeConfig, 'mode'>> & {
  mode?: 'token' | 'server'
  storage?: UserTokenStorageOption
  storageKey?: string
  revalidateMs?: number | false
  /** Wrap in React.StrictMode (default true). */
  strict?: boolean
}

function providers({ strict = true, queryClient = new QueryClient(), ...props }: ProvidersOptions = {}) {
  const Wrapper = ({ children }: { children?: ReactNode }) => {
    const tree = (
      <MindbodyProvider {...({ siteId: -99, queryClient, ...props } as MindbodyProviderProps)}>
        {children}
      </MindbodyProvider>
    )
    return strict ? <StrictMode>{tree}</StrictMode> : tree
  }
  return { Wrapper, queryClient }
}

/** Renders `ui` in a `MindbodyProvider` (site -99) with a fresh `QueryClient`, in StrictMode. */
export function renderWithProviders(ui: ReactNode, options?: ProvidersOptions) {
  const { Wrapper, queryClient } = providers(options)
  return { ...render(ui, { wrapper: Wrapper }), queryClient }
}

/** The same providers around a hook. */
export function renderHookWithProviders<T>(hook: () => T, options?: ProvidersOptions) {
  const { Wrapper, queryClient } = providers(options)
  return { ...renderHook(hook, { wrapper: Wrapper }), queryClient }
}
