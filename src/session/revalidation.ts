import { createSender } from '../core/createUserTokenApi'
import { httpError } from '../core/toMindbodyError'
import type { ResolvedMindbodyConfig } from '../core/types'
import type { PageSlot } from './pageSlot'

/**
 * Server mode's revalidation: asks the `/server` proxy's `GET /session` on window focus, on coming
 * back online and every `everyMs`, once per page at a time, while `isSignedIn()`. A session the proxy
 * ended fails with its 401, which `fail` turns into the reason the proxy gave; an answer of no session
 * at all (`null`: the cookie is gone) counts as a 401 too.
 */
export function createRevalidation(
  config: ResolvedMindbodyConfig,
  page: PageSlot,
  everyMs: number | false,
  isSignedIn: () => boolean,
  fail: (error: unknown) => void,
) {
  const check = () => {
    if (!isSignedIn()) return
    page.checking ??= createSender(config)('GET', '/session')
      .then(({ body }) => void (body === null && fail(httpError(401, null))))
      .catch(fail)
      .finally(() => (page.checking = undefined))
  }
  return {
    /** Starts listening; returns the stop. */
    listen() {
      if (typeof window === 'undefined') return () => {}
      window.addEventListener('focus', check)
      window.addEventListener('online', check)
      const interval = everyMs === false ? undefined : setInterval(check, everyMs)
      return () => {
        window.removeEventListener('focus', check)
        window.removeEventListener('online', check)
        clearInterval(interval)
      }
    },
  }
}
