import { useIdleTimeout, useUserToken } from '../src'
import { staff } from './mock'
import { StaffSignIn } from './StaffSignIn'

/**
 * The warning a front-desk portal shows before its idle sign-out: the time left, counting down, and
 * a button that counts as activity in every tab.
 */
export function IdleWarning() {
  const { isWarning, remainingMs, stayActive } = useIdleTimeout()
  if (!isWarning || remainingMs === null) return null
  const seconds = Math.ceil(remainingMs / 1000)
  return (
    <div role="alertdialog" aria-label="Still there?" aria-describedby="mb-idle-left" className="mb-idle">
      <p id="mb-idle-left">
        No activity for a while: you will be signed out in{' '}
        <time dateTime={`PT${seconds}S`}>
          {Math.floor(seconds / 60)}:{String(seconds % 60).padStart(2, '0')}
        </time>
        .
      </p>
      <button type="button" onClick={stayActive} autoFocus>
        Stay signed in
      </button>
    </div>
  )
}

/** A shared front-desk computer: the sign-in widget, and the idle warning above it while signed in. */
export function FrontDesk() {
  const { isAuthenticated } = useUserToken()
  return (
    <div className="mb-front-desk">
      {isAuthenticated && <IdleWarning />}
      <StaffSignIn title="Front desk" hint={staff} />
    </div>
  )
}
