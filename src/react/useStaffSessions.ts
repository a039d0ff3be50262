'use client'
import { useCallback, useEffect, useMemo } from 'react'
import { useQuery } from '@tanstack/react-query'
import { createSessionCalls, type StaffSession } from '../core/sessionCalls'
import type { MindbodyError } from '../core/MindbodyError'
import { userTokenKeys } from '../query/userTokenKeys'
import { useMindbodyContext } from './MindbodyContext'
import { useUserToken } from './useUserToken'

/**
 * What `useStaffSessions` returns.
 *
 * @example
 * const { sessions, isPending, error, end, refetch }: UseStaffSessionsResult = useStaffSessions()
 */
export interface UseStaffSessionsResult {
  /** The signed-in staff member's sessions on this site, this browser's among them; `undefined` until known or when signed out. */
  sessions: StaffSession[] | undefined
  isPending: boolean
  /** Why the list could not be read: a 404 when the proxy keeps no session store. */
  error: MindbodyError | null
  /** Ends one session ("sign out my other devices"); ending this browser's signs out here, as `'revoked'`. */
  end: (id: string) => Promise<void>
  /** Reads the list again. */
  refetch: () => Promise<unknown>
}

/**
 * "Sign out my other devices", in server mode: the signed-in staff member's own sessions, from the
 * `/server` proxy's `GET {baseURL}/sessions`, and `end(id)` over `DELETE {baseURL}/sessions/{id}`, with
 * the site and the CSRF header added. The proxy needs a session store (`session: { store }`). In token
 * mode it throws a `MindbodyError` that says so.
 *
 * @example
 * const { sessions, end } = useStaffSessions()
 * return sessions?.filter((s) => !s.current).map((s) => (
 *   <button key={s.id} onClick={() => end(s.id)}>Sign out the device active {s.activeAt.toLocaleTimeString()}</button>
 * ))
 */
export function useStaffSessions(): UseStaffSessionsResult {
  const { config, queryClient, session } = useMindbodyContext('useStaffSessions')
  const calls = useMemo(() => createSessionCalls(config), [config])
  const { isAuthenticated } = useUserToken()
  const queryKey = useMemo(() => [...userTokenKeys.token(config), 'sessions'], [config])
  // A failure goes through the session's rule, as any call's: a 401 signs out, for the proxy's reason.
  const failed = useCallback(
    (error: unknown) => {
      session.fail(error)
      throw error
    },
    [session],
  )
  const query = useQuery(
    // eslint-disable-next-line @tanstack/query/exhaustive-deps -- the key names the config, which `calls` and `failed` follow
    {
      queryKey,
      queryFn: ({ signal }) => calls.list({ signal }).catch(failed),
      enabled: isAuthenticated,
      retry: false,
    },
    queryClient,
  )
  useEffect(() => {
    if (!isAuthenticated) queryClient.removeQueries({ queryKey })
  }, [isAuthenticated, queryClient, queryKey])
  const end = useCallback(
    async (id: string) => {
      const current = query.data?.some((s) => s.id === id && s.current)
      // Ending this browser's own session: the proxy answers 401 `revoked`, and this page signs out.
      await calls
        .end(id)
        .catch((error: MindbodyError) =>
          current && error.status === 401 ? session.fail(error) : failed(error),
        )
      await queryClient.invalidateQueries({ queryKey })
    },
    [calls, failed, query.data, queryClient, queryKey, session],
  )
  return {
    sessions: isAuthenticated ? query.data : undefined,
    isPending: query.isPending,
    error: query.error as MindbodyError | null,
    end,
    refetch: query.refetch,
  }
}
