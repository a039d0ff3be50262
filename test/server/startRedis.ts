import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, connect } from 'node:net'
import Redis from 'ioredis'
import { afterAll, beforeAll } from 'vitest'

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
    socket.on('data', (data) => {
      socket.destroy()
      resolve(data.toString().startsWith('+PONG'))
    })
    socket.on('error', () => resolve(false))
  })

/**
 * Debian's redis-server on a free loopback port, with nothing saved to disk; `stop` ends it. `pause`
 * freezes it (SIGSTOP): its connections stay open and take commands, and it answers none until
 * `resume` (SIGCONT), as a Redis stuck on a slow disk or a long script would.
 */
export async function startRedis(port?: number) {
  const chosen = port ?? (await freePort())
  const child: ChildProcess = spawn(
    process.env.REDIS_SERVER ?? 'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  for (let i = 0; !(await answers(chosen)); i++) {
    if (i > 100)
      throw new Error('redis-server did not start: is it installed (apt-get install redis-server)?')
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop: async () => {
      // A stopped process still dies of SIGKILL.
      child.kill('SIGKILL')
      await exited
    },
  }
}

/**
 * A real redis-server and an ioredis client on it for the tests of the file or `describe` it is called
 * in: started before them, stopped after.
 */
export function withRedis() {
  const held = {} as { server: Awaited<ReturnType<typeof startRedis>>; client: Redis }
  beforeAll(async () => {
    held.server = await startRedis()
    held.client = new Redis(held.server.url)
  })
  afterAll(async () => {
    held.client.disconnect()
    await held.server.stop()
  })
  return held
}
