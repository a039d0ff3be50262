'use client'
import { useMemo, useSyncExternalStore } from 'react'
import { useMindbodyContext } from './MindbodyContext'
import type { IdleState } from '../session/idleTimeout'

/**
 * What `useIdleTimeout` returns: the warning, the time left while it shows, and `stayActive`.
 *
 * @example
 * const { isWarning, remainingMs, stayActive }: UseIdleTimeoutResult = useIdleTimeout()
 */
export interface UseIdleTimeoutResult extends IdleState {
  /** Counts as activity in every tab and provider of the session (and, in server mode, at the proxy). */
  stayActive: () => void
}

const NONE: IdleState = { isWarning: false, remainingMs: null }
const none = () => NONE
const nothing = () => () => {}
const ignore = () => {}

/**
 * The idle timeout of the nearest provider's `idle` prop. It re-renders once a second only while
 * warning, otherwise only when the warning starts or ends. Without `idle`, it never warns.
 *
 * @example
 * const { isWarning, remainingMs, stayActive } = useIdleTimeout()
 * if (isWarning)
 *   return (
 *     <div role="alertdialog" aria-label="Still there?">
 *       You will be signed out in {Math.ceil(remainingMs! / 1000)} s.
 *       <button onClick={stayActive}>Stay signed in</button>
 *     </div>
 *   )
 */
export function useIdleTimeout(): UseIdleTimeoutResult {
  const { idle } = useMindbodyContext('useIdleTimeout').session
  const state = useSyncExternalStore(idle?.subscribe ?? nothing, idle?.get ?? none, idle?.initial ?? none)
  return useMemo(() => ({ ...state, stayActive: idle?.stayActive ?? ignore }), [state, idle])
}
