/**
 * What `redisLimitStore` and `redisSessionStore` need of a Redis client: `call` (ioredis) or `sendCommand` (node-redis).
 *
 * @example
 * const client: RedisLike = new Redis(process.env.REDIS_URL) // ioredis
 */
export type RedisLike =
  | {
      /** Sends one command, as ioredis does. */
      call(command: string, ...args: Array<string | number>): Promise<unknown>
    }
  | {
      /** Sends one command as an array, as node-redis does. */
      sendCommand(args: string[]): Promise<unknown>
    }

/** Sends one command with whichever of the two shapes `client` has. */
export const redisCommand =
  (client: RedisLike) =>
  (...args: string[]): Promise<unknown> =>
    'call' in client ? client.call(args[0]!, ...args.slice(1)) : client.sendCommand(args)

/**
 * Runs Redis work for the `store` named, logging its first failure once (with the error's name, never
 * a key) and `consequence`, until Redis answers again. A failure then answers `fallback()` when there
 * is one, and otherwise throws, so that the proxy answers 503 and sends nothing.
 */
export function redisGuard(store: string, consequence: () => string) {
  let failing = false
  return async <T>(work: () => Promise<T>, fallback?: () => T): Promise<T> => {
    try {
      const result = await work()
      failing = false
      return result
    } catch (error) {
      if (!failing)
        console.error(
          `react-mindbody-user-token: the Redis ${store} failed (${(error as Error)?.name ?? 'Error'}); ${consequence()}`,
        )
      failing = true
      if (fallback) return fallback()
      throw new Error(`The ${store} is unavailable`, { cause: error })
    }
  }
}
