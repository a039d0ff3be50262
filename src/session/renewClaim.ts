import type { UserTokenStorage } from './userTokenStorage'

const quietly = async <T>(work: () => T | Promise<T>): Promise<T | undefined> => {
  try {
    return await work()
  } catch {
    return undefined
  }
}

/**
 * The cross-tab claim that lets one tab at a time auto-renew: `"<until> <owner>"` under `key` in the
 * shared storage. A tab may renew while nobody else's claim is live; it holds its claim across its
 * retries, and a claim lapses by itself. Without storage every call succeeds.
 */
export function createRenewClaim(storage: () => UserTokenStorage | undefined, key: string) {
  const me = Math.random().toString(36).slice(2)
  const hold = (until: number) => quietly(() => storage()?.setItem(key, `${until} ${me}`))
  return {
    hold,
    /** Takes the claim until `until`, unless another tab holds a live one. */
    async take(until: number): Promise<boolean> {
      const [held, owner] = String(await quietly(() => storage()?.getItem(key))).split(' ')
      if (owner !== me && Number(held) > Date.now()) return false
      await hold(until)
      return true
    },
  }
}
