'use client'
import { useQuery } from '@tanstack/react-query'
import { useMindbodyContext } from './MindbodyContext'
import { userTokenQueryOptions } from './userTokenQueryOptions'
import type { IssueResponse, User } from './core/types'

/** The shared token and what follows from it, as `useUserToken` returns it. */
export interface UserTokenState {
  /** The whole token response, or `null` when signed out. */
  token: IssueResponse | null
  /** The value to send as the bearer token. */
  accessToken: string | null
  user: User | null
  /** `Expires` as a `Date` (read as UTC when it has no offset), or `null` when unknown. */
  expiresAt: Date | null
  isAuthenticated: boolean
}

const signedOut: UserTokenState = {
  token: null,
  accessToken: null,
  user: null,
  expiresAt: null,
  isAuthenticated: false,
}

const toState = (token: IssueResponse | null): UserTokenState =>
  token
    ? {
        token,
        accessToken: token.AccessToken,
        user: token.User ?? null,
        expiresAt: token.Expires
          ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(token.Expires) ? token.Expires : token.Expires + 'Z')
          : null,
        isAuthenticated: true,
      }
    : signedOut

/**
 * The shared token of the nearest `MindbodyProvider`. It re-renders only when the token changes.
 *
 * @example
 * const { isAuthenticated, user, expiresAt } = useUserToken()
 * return isAuthenticated ? <p>Hello {user?.FirstName}</p> : <SignInForm />
 */
export function useUserToken(): UserTokenState {
  const { config, queryClient } = useMindbodyContext('useUserToken')
  return useQuery({ ...userTokenQueryOptions(config), select: toState }, queryClient).data ?? signedOut
}
