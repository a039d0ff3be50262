'use client'
import type { ReactNode } from 'react'
import { useUserToken } from './useUserToken'
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
  /** Shown to a signed-in user that `allow` refuses. Default: nothing. */
  denied?: ReactNode
}

/**
 * Renders its children only while a staff member is signed in, and, with `allow`, only for the users
 * it accepts. It hides what the user may not see; the server must still refuse what they may not do.
 *
 * @example
 * <UserTokenGate fallback={<SignInForm />} restoring={<Spinner />}>
 *   <Schedule />
 *   <UserTokenGate allow={(user) => user.Type === 'Owner'} denied={<p>Owners only.</p>}>
 *     <Payroll />
 *   </UserTokenGate>
 * </UserTokenGate>
 */
export function UserTokenGate({
  children,
  fallback = null,
  restoring = null,
  allow,
  denied = null,
}: UserTokenGateProps): ReactNode {
  const { isAuthenticated, isRestoring, user } = useUserToken()
  if (isRestoring) return restoring
  if (!isAuthenticated) return fallback
  return !allow || allow(user ?? {}) ? children : denied
}
