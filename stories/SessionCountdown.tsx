import { useEffect, useState } from 'react'
import { useUserToken } from '../src'
import { localTime, relative } from './time'

/** The leeway the demo's providers use: the library's default. */
const LEEWAY_MS = 30_000

/**
 * The session's expiry in the visitor's time zone, counting down each second, and when it will end
 * here: the library signs out 30 s before `Expires`, to allow for clocks that differ.
 */
export function SessionCountdown() {
  const { expiresAt } = useUserToken()
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  if (!expiresAt) return <span>No expiry given: Mindbody decides when the session ends.</span>
  const ends = new Date(expiresAt.getTime() - LEEWAY_MS)
  return (
    <span className="mb-countdown">
      Session ends <time dateTime={ends.toISOString()}>{relative(ends, now)}</time>, at {localTime(ends)}{' '}
      <small>
        (the token expires at <time dateTime={expiresAt.toISOString()}>{localTime(expiresAt)}</time>; the
        session ends 30 s early, in case clocks differ)
      </small>
    </span>
  )
}
