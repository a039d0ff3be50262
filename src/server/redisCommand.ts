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
