import { modeOf } from '../core/modes'
import type { PageRecord } from './pageRecord'
import type { ResolvedMindbodyConfig } from '../core/MindbodyConfig'

/**
 * Runs `work` once every earlier call of the page's sign-in has settled, when its mode needs calls in
 * order (server mode: each answer overwrites the proxy's one cookie); otherwise at once.
 */
export function inOrder<T>(
  record: PageRecord,
  config: ResolvedMindbodyConfig,
  work: () => Promise<T>,
): Promise<T> {
  if (!modeOf(config).inOrder) return work()
  const result = (record.order.queue ?? Promise.resolve()).then(work, work)
  record.order.queue = result.catch(() => {})
  return result
}
