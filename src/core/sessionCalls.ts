import { createSender } from './createUserTokenApi'
import { needProxy } from './modes'
import { invalidResponse } from './parseToken'
import { need } from './validate'
import type { RequestOptions } from './types'
import type { ResolvedMindbodyConfig } from './MindbodyConfig'

/**
 * One of the signed-in staff member's sessions, as the `/server` proxy lists them: no token, no
 * username.
 *
 * @example
 * const others = sessions.filter((s: StaffSession) => !s.current)
 */
export interface StaffSession {
  /** The session's id, for `end(id)`. */
  id: string
  signedInAt: Date
  /** The last activity the proxy heard of. */
  activeAt: Date
  expiresAt: Date
  /** Whether it is this browser's own session. */
  current: boolean
}

const dateOf = (value: unknown) => {
  const date = new Date(typeof value === 'string' ? value : NaN)
  if (Number.isNaN(date.getTime())) throw invalidResponse()
  return date
}

/**
 * The `/server` proxy's session routes for `config` (server mode only): `GET {baseURL}/sessions`
 * and `DELETE {baseURL}/sessions/{id}`, with the site and the CSRF header added.
 */
export function createSessionCalls(config: ResolvedMindbodyConfig) {
  needProxy(config, 'The list of sessions')
  const send = createSender(config)
  return {
    async list(options?: RequestOptions): Promise<StaffSession[]> {
      const { body } = await send('GET', '/sessions', options)
      const listed = (body as { Sessions?: unknown } | null)?.Sessions
      if (!Array.isArray(listed)) throw invalidResponse()
      return listed.map((s: Record<string, unknown>) => ({
        id: String(s.Id),
        signedInAt: dateOf(s.SignedInAt),
        activeAt: dateOf(s.ActiveAt),
        expiresAt: dateOf(s.ExpiresAt),
        current: s.Current === true,
      }))
    },
    async end(id: string, options?: RequestOptions): Promise<void> {
      need(typeof id === 'string' && /^[0-9a-f]{32}$/.test(id), 'id')
      await send('DELETE', `/sessions/${id}`, options)
    },
  }
}
