'use client'
import { useMindbodyContext } from './MindbodyContext'
import type { ResolvedMindbodyConfig } from '../core/MindbodyConfig'

/**
 * The nearest `MindbodyProvider`'s config, with defaults filled in. It does not change when the
 * token does, so components that read only the config never re-render on sign-in or sign-out.
 *
 * @example
 * const { siteId, baseURL } = useMindbodyConfig()
 */
export const useMindbodyConfig = (): ResolvedMindbodyConfig => useMindbodyContext('useMindbodyConfig').config
