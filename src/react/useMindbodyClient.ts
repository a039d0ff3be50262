'use client'
import type { AxiosInstance } from 'axios'
import { createMindbodyClient } from '../session/createMindbodyClient'
import { useMindbodyContext } from './MindbodyContext'
import type { TokenSession } from '../session/createTokenSession'

const clients = new WeakMap<TokenSession, AxiosInstance>()

/**
 * An axios instance for any other Mindbody endpoint of the provider's site: its base URL is
 * `{baseURL}/public/v{version}`, it sends `Api-Key` and `SiteId`, and `Authorization` from the current
 * token at request time. A 401 signs out with reason `'unauthorized'`, and in server mode a 423
 * `DeskLocked` with `'locked'`. It never retries and never signs in by itself; the one call it sends
 * again is one that waited for an approval (`useApproval`), once approved. Every failure is a
 * `MindbodyError`.
 *
 * @example
 * const client = useMindbodyClient()
 * const staff = useQuery({ queryKey: ['staff'], queryFn: () => client.get('/staff/staff').then((r) => r.data) })
 */
export function useMindbodyClient(): AxiosInstance {
  const { config, session } = useMindbodyContext('useMindbodyClient')
  if (!clients.has(session)) clients.set(session, createMindbodyClient(config, session))
  return clients.get(session)!
}
