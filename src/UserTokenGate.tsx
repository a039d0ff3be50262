'use client'
import type { ReactNode } from 'react'
import { useUserToken } from './useUserToken'

/**
 * Props of `UserTokenGate`.
 *
 * @example
 * const props: UserTokenGateProps = { fallback: <SignInForm />, restoring: <Spinner /> }
 */
export interface UserTokenGateProps {
  /** Shown while signed in. */
  children?: ReactNode
  /** Shown while signed out, e.g. a sign-in form. */
  fallback?: ReactNode
  /** Shown while a stored token is being read. Default: nothing. */
  restoring?: ReactNode
}

/**
 * Renders its children only while a staff member is signed in.
 *
 * @example
 * <UserTokenGate fallback={<SignInForm />} restoring={<Spinner />}>
 *   <Schedule />
 * </UserTokenGate>
 */
export function UserTokenGate({ children, fallback = null, restoring = null }: UserTokenGateProps) {
  const { isAuthenticated, isRestoring } = useUserToken()
  return <>{isRestoring ? restoring : isAuthenticated ? children : fallback}</>
}
