'use client'
import { useCallback } from 'react'
import { useQuery } from '@tanstack/react-query'
import { permissionsOptions } from '../query/staffPermissionsQueryOptions'
import { useMindbodyContext } from './MindbodyContext'
import { useUserToken } from './useUserToken'
import type { MindbodyError } from '../core/MindbodyError'
import type { StaffPermission } from '../core/staffPermissions'

/**
 * What `useStaffPermissions` returns: the signed-in staff member's permissions and `can`.
 *
 * @example
 * const { can, isPending }: UseStaffPermissionsResult = useStaffPermissions()
 */
export interface UseStaffPermissionsResult {
  /** Every permission the staff member's group allows; `undefined` while unknown or signed out. */
  permissions: ReadonlySet<StaffPermission> | undefined
  /** The permission group's name; `null` for owners and admins; `undefined` while unknown. */
  groupName: string | null | undefined
  /** Whether the group works only from listed addresses; `undefined` while unknown. */
  ipRestricted: boolean | undefined
  /** Whether the staff member may do `permission`: `false` while unknown or signed out. */
  can: (permission: StaffPermission) => boolean
  /** True until the permissions are known (and while signed out). */
  isPending: boolean
  /** Why they could not be read, or `null`. */
  error: MindbodyError | null
}

/** The permissions query of the provider's sign-in, asked only while signed in and `wanted`. */
export function usePermissions(wanted: boolean, hook: string) {
  const { config, queryClient, session } = useMindbodyContext(hook)
  const { isAuthenticated } = useUserToken()
  const query = useQuery(
    { ...permissionsOptions(config, queryClient, () => session), enabled: wanted && isAuthenticated },
    queryClient,
  )
  return { known: isAuthenticated ? (query.data ?? undefined) : undefined, query }
}

/**
 * What the signed-in staff member may do, from their Mindbody permission group: read once per
 * sign-in for the whole page (every provider and hook shares the one answer), kept over a renewal,
 * forgotten at sign-out. Owners and admins may do everything, with no call. In server mode the
 * `/server` proxy answers from the session, with no call to Mindbody.
 *
 * @example
 * const { can } = useStaffPermissions()
 * return can('RefundSales') ? <RefundButton /> : null
 */
export function useStaffPermissions(): UseStaffPermissionsResult {
  const { known, query } = usePermissions(true, 'useStaffPermissions')
  const permissions = known?.permissions
  const can = useCallback((permission: StaffPermission) => !!permissions?.has(permission), [permissions])
  return {
    permissions,
    groupName: known?.groupName,
    ipRestricted: known?.ipRestricted,
    can,
    isPending: !known,
    error: query.error as MindbodyError | null,
  }
}
