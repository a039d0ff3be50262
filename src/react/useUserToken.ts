'use client'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useSyncExternalStore } from 'react'
import { useMindbodyContext } from './MindbodyContext'
import { userTokenQueryOptions } from '../query/userTokenQueryOptions'
import { expiresAt } from '../core/expiresAt'
import type { SignOutReason } from '../session/signOutReason'
import type { IssueResponse, User } from '../core/types'

/**
 * The shared token and what follows from it, as `useUserToken` returns it.
 *
 * @example
 * const { isAuthenticated, user }: UseUserTokenResult = useUserToken()
 */
export interface UseUserTokenResult {
  /** The whole token response, or `null` when signed out. */
  token: IssueResponse | null
  /** The value to send in `Authorization`; `null` when signed out, and always with `mode="server"`. */
  accessToken: string | null
  /** Who signed in, or `null`. */
  user: User | null
  /** `Expires` as a `Date` (read as UTC when it has no offset), or `null` when unknown. */
  expiresAt: Date | null
  /** True while a token is held. */
  isAuthenticated: boolean
  /** True when the last session ended because its token expired. */
  isExpired: boolean
  /** True until stored state has been read, so a signed-out screen never flashes. */
  isRestoring: boolean
  /** Why the last session ended, or `null` while signed in or before any sign-out. */
  signOutReason: SignOutReason | null
}

type TokenFields = Pick<
  UseUserTokenResult,
  'token' | 'accessToken' | 'user' | 'expiresAt' | 'isAuthenticated'
>

const signedOut: TokenFields = {
  token: null,
  accessToken: null,
  user: null,
  expiresAt: null,
  isAuthenticated: false,
}

const toFields = (token: IssueResponse | null): TokenFields => {
  if (!token) return signedOut
  const expiry = expiresAt(token)
  return {
    token,
    accessToken: token.AccessToken || null,
    user: token.User ?? null,
    expiresAt: expiry === null ? null : new Date(expiry),
    isAuthenticated: true,
  }
}

/**
 * The shared token of the nearest `MindbodyProvider`. It re-renders only when the token or the
 * session's status changes.
 *
 * @example
 * const { isAuthenticated, isRestoring, user, expiresAt, signOutReason } = useUserToken()
 * if (isRestoring) return null
 * return isAuthenticated ? <p>Hello {user?.FirstName}</p> : <SignInForm expired={signOutReason === 'expired'} />
 */
export function useUserToken(): UseUserTokenResult {
  const { config, queryClient, session } = useMindbodyContext('useUserToken')
  const fields =
    useQuery({ ...userTokenQueryOptions(config, { queryClient }), select: toFields }, queryClient).data ??
    signedOut
  const status = useSyncExternalStore(session.subscribe, session.getStatus, session.getServerStatus)
  return useMemo(
    () => ({ ...fields, ...status, isExpired: status.signOutReason === 'expired' }),
    [fields, status],
  )
}
