'use client'
import { useEffect, useMemo } from 'react'
import { useQuery } from '@tanstack/react-query'
import { deskActions } from '../session/deskActions'
import { deskKey } from '../query/userTokenKeys'
import { useMindbodyContext } from './MindbodyContext'
import { useUserToken } from './useUserToken'
import type { DeskCredentials } from '../core/deskCalls'
import type { DeskStaff, DeskState } from '../core/deskState'
import type { MindbodyError } from '../core/MindbodyError'

/**
 * What `useDesk` returns: the front desk of this browser, and what its staff can do.
 *
 * @example
 * const { isLocked, staff, unlock }: UseDeskResult = useDesk()
 */
export interface UseDeskResult {
  /** True while the desk has staff signed in and none of them is active: show the lock screen. */
  isLocked: boolean
  /** The active staff member, whose token the page's calls use; `null` while locked or signed out. */
  active: DeskStaff | null
  /** Everyone signed in at the desk, active or parked; empty when there is no desk. */
  staff: DeskStaff[]
  /** How many digits a desk PIN has; `undefined` while unknown or with no desk. */
  pinLength: number | undefined
  isPending: boolean
  /** Why the desk could not be read. */
  error: MindbodyError | null
  /** Locks the desk: every provider and tab of the page signs out at once, as `'locked'`. */
  lock: () => Promise<void>
  /** Makes `userId` the active staff member with their PIN (a switch, when someone else is active). */
  unlock: (credentials: DeskCredentials) => Promise<void>
  /** Sets the active staff member's desk PIN (digits, `pinLength` of them); changing one needs the `current` PIN. */
  setPin: (pin: string, current?: string) => Promise<void>
  /** Ends one staff member's shift (their token revoked), or the active one's; the others stay. */
  endShift: (userId?: number | null) => Promise<void>
}

/**
 * The shared front desk, in server mode: several staff signed in on one browser, at most one active,
 * each unlocking with their own PIN; from the `/server` proxy's desk (`createMindbodyProxy({ desk })`).
 * Every provider and tab of the page follows it: an unlock or a switch makes that staff member's token
 * the page's, a lock signs the page out as `'locked'`. Each action rejects with a `MindbodyError` (a
 * wrong PIN is a 403 `WrongPin`, its `details.Error.AttemptsLeft` saying how many tries are left); the
 * PIN is sent once and kept nowhere. In token mode it throws a `MindbodyError` that says so.
 *
 * @example
 * const { isLocked, staff, unlock, lock } = useDesk()
 * if (isLocked)
 *   return staff.map((member) => (
 *     <button key={member.name} onClick={() => unlock({ userId: member.userId, pin: askPin() })}>{member.name}</button>
 *   ))
 * return <button onClick={lock}>Lock</button>
 */
export function useDesk(): UseDeskResult {
  const { config, queryClient, session } = useMindbodyContext('useDesk')
  const desk = useMemo(() => deskActions(session), [session])
  const { token, isAuthenticated, isRestoring } = useUserToken()
  const queryKey = useMemo(() => deskKey(config), [config])
  const query = useQuery(
    { queryKey, queryFn: ({ signal }) => desk.read({ signal }), retry: false },
    queryClient,
  )
  useEffect(
    () => desk.follow((state) => queryClient.setQueryData<DeskState | null>(queryKey, state)),
    [desk, queryClient, queryKey],
  )
  const state = query.data
  const id = token?.User?.Id ?? null
  return {
    isLocked: !!state && !isRestoring && !isAuthenticated,
    active: (isAuthenticated && state?.staff.find((s) => s.isActive && s.userId === id)) || null,
    staff: state?.staff ?? [],
    pinLength: state?.pinLength,
    isPending: query.isPending,
    error: query.error as MindbodyError | null,
    lock: desk.lock,
    unlock: desk.unlock,
    setPin: desk.setPin,
    endShift: desk.endShift,
  }
}
