'use client'
import type { ReactNode } from 'react'
import { useUserToken } from './useUserToken'
import { usePermissions } from './useStaffPermissions'
import type { StaffPermission } from '../core/staffPermissions'
import type { User } from '../core/types'

/**
 * Props of `UserTokenGate`.
 *
 * @example
 * const props: UserTokenGateProps = { fallback: <SignInForm />, restoring: <Spinner /> }
 */
export interface UserTokenGateProps {
  /** Shown while signed in (and allowed). */
  children?: ReactNode
  /** Shown while signed out, e.g. a sign-in form. */
  fallback?: ReactNode
  /** Shown while a stored token is being read. Default: nothing. */
  restoring?: ReactNode
  /** Who may see `children`, such as `(user) => user.Type === 'Owner'`. Default: anyone signed in. */
  allow?: (user: User) => boolean
  /**
   * The Mindbody permission, or every one of a list, the staff member needs to see `children`, such as
   * `"RefundSales"`. While the permissions load, `restoring` shows; when they cannot be read, `denied`.
   */
  permission?: StaffPermission | readonly StaffPermission[]
  /** Shown to a signed-in user that `allow` or `permission` refuses. Default: nothing. */
  denied?: ReactNode
}

/**
 * Renders its children only while a staff member is signed in, and, with `allow` or `permission`, only
 * for the users it accepts. It hides what the user may not see; the server must still refuse what they
 * may not do (the `/server` proxy's `permissions` option does).
 *
 * @example
 * <UserTokenGate fallback={<SignInForm />} restoring={<Spinner />}>
 *   <Schedule />
 *   <UserTokenGate allow={(user) => user.Type === 'Owner'} denied={<p>Owners only.</p>}>
 *     <Payroll />
 *   </UserTokenGate>
 *   <UserTokenGate permission="RefundSales" denied={<p>Ask a manager to refund.</p>}>
 *     <RefundButton />
 *   </UserTokenGate>
 * </UserTokenGate>
 */
export function UserTokenGate({
  children,
  fallback = null,
  restoring = null,
  allow,
  permission,
  denied = null,
}: UserTokenGateProps): ReactNode {
  const { isAuthenticated, isRestoring, user } = useUserToken()
  const { known, query } = usePermissions(permission !== undefined, 'UserTokenGate')
  if (isRestoring) return restoring
  if (!isAuthenticated) return fallback
  if (allow && !allow(user ?? {})) return denied
  if (permission === undefined) return children
  if (!known) return query.isError ? denied : restoring
  return [permission].flat().every((name) => known.permissions.has(name)) ? children : denied
}
