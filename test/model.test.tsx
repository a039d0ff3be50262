import { inspect } from 'node:util'
import { QueryClient } from '@tanstack/react-query'
import { act } from '@testing-library/react'
import fc from 'fast-check'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { IssueResponse, UserTokenStorage } from '../src'
import {
  createSharedStorage,
  type MockFailure,
  type MockMindbody,
  type MockRenewAnswer,
} from '../src/testing'
import { renderHookWithProviders } from './renderWithProviders'
import { server, STAFF, serveMockMindbody } from './server'
import { useSession } from './renderSignedIn'

/**
 * Model-based property test: random sequences of what users, servers, clocks and browsers do, with
 * the invariants checked after every step. Seeded and reproducible; a failure prints the seed and the
 * shrunk sequence. FC_RUNS and FC_SEED override the defaults.
 */
const RUNS = Number(process.env.FC_RUNS ?? 1000)
const SEED = Number(process.env.FC_SEED ?? 20261128)
const KEY = 'mindbody-user-token:https://api.mindbodyonline.com:-99:6'
const BAD = { Username: 'demo.staff', Password: 'wrong-Pa55word-🔑' }
const SECRETS = [STAFF.Password, BAD.Password]
const SLOW = 200
const MINUTE = 60_000
/** The provider's default leeway, and 2 s for the Date header's whole seconds. */
const LEEWAY = 32_000

type Session = ReturnType<typeof useSession>
interface Tab {
  queryClient: QueryClient
  result: { current: Session }
  unmount: () => void
}
interface Real {
  mindbody: MockMindbody
  data: Map<string, string>
  storage: () => UserTokenStorage
  /** The first tab's storage: its remounts, and a second provider on its page, keep the token there. */
  page: UserTokenStorage
  listeners: () => number
  broken: { on: boolean }
  tabs: Tab[]
  /** A second provider on the first tab's page: another React root with its own QueryClient. */
  neighbour?: Tab
  issued: string[]
  issueRequests: number
  pending: number
  seen: unknown[]
}
interface Model {
  everBroken: boolean
  fault: MockFailure | null
  strict: boolean
  /** The token the first tab showed before the step, to judge how its session ended. */
  before: string | null
}

const stats = { steps: 0, byName: {} as Record<string, number> }
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms))
const flush = async () => {
  for (let i = 0; i < 4; i++) await advance(1)
}
/** Lets a started action finish, even against a slow server, and keeps what it threw. */
async function settle(real: Real, started: Promise<unknown>) {
  const done = started.catch((error: unknown) => void real.seen.push(error))
  await advance(SLOW + 50)
  await done
  await flush()
}

function mount(real: Real, strict: boolean, storage = real.storage()): Tab {
  const queryClient = new QueryClient()
  const view = renderHookWithProviders(useSession, {
    strict,
    queryClient,
    storage,
    autoRenew: { beforeExpiryMs: 2 * MINUTE },
  })
  return { queryClient, result: view.result, unmount: view.unmount }
}

const tokenOf = (tab: Tab) =>
  tab.queryClient.getQueryData<IssueResponse | null>([
    'mindbody-user-token',
    'https://api.mindbodyonline.com',
    '-99',
    '6',
  ])?.AccessToken ?? null
const stored = (real: Real) => {
  const raw = real.data.get(KEY)
  return raw ? (JSON.parse(raw).token.AccessToken as string) : null
}

async function invariants(model: Model, real: Real) {
  await flush()
  const [first, second] = real.tabs as [Tab, Tab | undefined]
  const shown = first.result.current.state.accessToken
  expect(shown, 'one state: the UI shows what React Query holds').toBe(tokenOf(first))
  if (!model.everBroken) {
    expect(stored(real), 'one state: storage holds what the UI shows').toBe(shown)
    if (second) expect(second.result.current.state.accessToken, 'the other tab agrees').toBe(shown)
  }
  if (real.neighbour)
    expect(real.neighbour.result.current.state.accessToken, 'every provider of the page agrees').toBe(shown)
  if (shown) expect(real.mindbody.isValid(shown, -99), 'the server accepts the token the UI shows').toBe(true)
  const reason = first.result.current.state.signOutReason
  if (model.before && !shown && (reason === 'expired' || reason === 'renew-failed'))
    expect(
      real.mindbody.expiresAt(model.before)!.getTime() - Date.now(),
      'a session is never ended by a temporary failure while its token is still valid',
    ).toBeLessThanOrEqual(LEEWAY)
  const everything = [
    ...[...real.tabs, ...(real.neighbour ? [real.neighbour] : [])].flatMap((tab) => [
      JSON.stringify(
        tab.queryClient
          .getQueryCache()
          .getAll()
          .map((q) => q.state),
      ),
      JSON.stringify(
        tab.queryClient
          .getMutationCache()
          .getAll()
          .map((m) => m.state),
      ),
    ]),
    JSON.stringify([...real.data]),
    ...real.seen.map((error) => `${String(error)} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`),
  ].join('\n')
  for (const secret of SECRETS) expect(everything.includes(secret), 'no password kept anywhere').toBe(false)
}

const command = (
  name: string,
  run: (model: Model, real: Real) => Promise<void>,
  check = (_: Readonly<Model>) => true,
) => ({
  check,
  async run(model: Model, real: Real) {
    stats.steps++
    stats.byName[name.replace(/\(.*/, '')] = (stats.byName[name.replace(/\(.*/, '')] ?? 0) + 1
    model.before = real.tabs[0]!.result.current.state.accessToken
    await run(model, real)
    await invariants(model, real)
  },
  toString: () => name,
})

const commands = [
  fc.boolean().map((good) =>
    command(`signIn(${good ? 'good' : 'bad'})`, async (_m, real) => {
      const before = real.issueRequests
      await settle(real, real.tabs[0]!.result.current.signIn.mutateAsync(good ? STAFF : BAD))
      expect(real.issueRequests - before, 'one mutate, one request').toBe(1)
    }),
  ),
  fc.constant(
    command('signOut', (_m, real) => settle(real, real.tabs[0]!.result.current.signOut.mutateAsync())),
  ),
  fc.constant(command('renew', (_m, real) => settle(real, real.tabs[0]!.result.current.renew.mutateAsync()))),
  fc.integer({ min: 1_000, max: 30 * MINUTE }).map((ms) =>
    command(`time(+${ms} ms)`, async () => {
      await advance(ms)
    }),
  ),
  fc
    .constantFrom<MockFailure | null>(
      'server-error',
      'html',
      'network-error',
      'slow',
      'hang-then-abort',
      'rate-limited',
      null,
    )
    .map((fault) =>
      command(`server(${fault ?? 'healthy'})`, async (model, real) => {
        // A 200 HTML page is a valid renew answer (any 2xx is a renewal), so it stays off renew:
        // there the mock would answer 200 without renewing, which Mindbody does not do.
        real.mindbody.fail(fault, fault === 'html' ? ['issue', 'revoke'] : undefined)
        model.fault = fault
      }),
    ),
  fc
    .constantFrom<MockRenewAnswer>('token', 'expires', 'empty-object', 'empty-body', 'no-content')
    .map((answer) =>
      command(`renew answers(${answer})`, async (_m, real) => {
        real.mindbody.answerRenewWith(answer)
      }),
    ),
  fc.constantFrom<MockFailure>('server-error', 'network-error', 'rate-limited').map((fault) =>
    command(`renew fails for a while(${fault})`, async (model, real) => {
      real.mindbody.fail(fault, ['renew'])
      await advance(5_000)
      real.mindbody.fail(model.fault === 'html' ? null : model.fault, ['renew'])
    }),
  ),
  fc.constant(
    command('client call answered 401', async (_m, real) => {
      server.use(
        http.get(
          '*/public/v6/staff/staff',
          () => HttpResponse.json({ Error: { Message: 'No.' } }, { status: 401 }),
          { once: true },
        ),
      )
      await settle(real, real.tabs[0]!.result.current.client.get('/staff/staff'))
      expect(real.tabs[0]!.result.current.state.isAuthenticated).toBe(false)
    }),
  ),
  fc.boolean().map((on) =>
    command(`storage(${on ? 'refusing' : 'healthy'})`, async (model, real) => {
      real.broken.on = on
      model.everBroken ||= on
    }),
  ),
  fc.boolean().map((strict) =>
    command(`remount(strict: ${strict})`, async (model, real) => {
      real.tabs[0]!.unmount()
      real.tabs[0] = mount(real, strict, real.page)
      model.strict = strict
      if (model.everBroken) model.everBroken = true
    }),
  ),
  fc.constant(
    command('second tab opens or closes', async (model, real) => {
      if (real.tabs[1]) real.tabs.pop()!.unmount()
      else real.tabs.push(mount(real, model.strict))
    }),
  ),
  fc.constant(
    command('a second provider on the page mounts or unmounts', async (model, real) => {
      if (real.neighbour) real.neighbour = void real.neighbour.unmount()
      else real.neighbour = mount(real, model.strict, real.page)
    }),
  ),
  fc.boolean().map((mine) =>
    command(`the second provider on the page ${mine ? 'signs in' : 'signs out'}`, async (_m, real) => {
      real.neighbour ??= mount(real, true, real.page)
      const { signIn, signOut } = real.neighbour.result.current
      await settle(real, mine ? signIn.mutateAsync(STAFF) : signOut.mutateAsync())
    }),
  ),
  fc.constant(
    command(
      'sign-in overtaken by a sign-out',
      async (_m, real) => {
        real.mindbody.fail('slow', ['issue'])
        const count = real.issued.length
        const signingIn = real.tabs[0]!.result.current.signIn.mutateAsync(STAFF).catch(
          (error: unknown) => error,
        )
        await settle(real, real.tabs[0]!.result.current.signOut.mutateAsync())
        await settle(real, signingIn)
        expect(await signingIn, 'the overtaken sign-in fails as aborted').toMatchObject({ kind: 'aborted' })
        real.mindbody.fail(null)
        expect(real.tabs[0]!.result.current.state.accessToken).toBeNull()
        for (const late of real.issued.slice(count))
          expect(real.mindbody.isValid(late), 'the late token is revoked').toBe(false)
      },
      (model) => model.fault === null,
    ),
  ),
  fc.constant(
    command(
      'two sign-ins, the first answering last',
      async (_m, real) => {
        real.mindbody.fail('slow', ['issue'])
        const first = real.tabs[0]!.result.current.signIn.mutateAsync(STAFF)
        real.mindbody.fail(null)
        const second = real.tabs[0]!.result.current.signIn.mutateAsync(STAFF)
        await settle(real, Promise.all([first.catch(() => {}), second]))
        const won = await second
        expect(real.tabs[0]!.result.current.state.accessToken, 'the second sign-in wins').toBe(
          won.AccessToken,
        )
        const late = real.issued.at(-1)!
        if (late !== won.AccessToken)
          expect(real.mindbody.isValid(late), 'the overtaken token is revoked').toBe(false)
      },
      (model) => model.fault === null,
    ),
  ),
]

const rejections: unknown[] = []
const onRejection = (reason: unknown) => void rejections.push(reason)
const logged: string[] = []

beforeEach(() => {
  vi.useFakeTimers({
    shouldAdvanceTime: true,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  })
  process.on('unhandledRejection', onRejection)
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, level).mockImplementation(
      (...args) => void logged.push(args.map((a) => inspect(a)).join(' ')),
    )
})
afterEach(() => {
  process.off('unhandledRejection', onRejection)
  vi.useRealTimers()
})

describe('model-based: random sequences of sign-ins, sign-outs, renewals, time, faults, remounts and tabs', () => {
  it(
    `keeps every invariant over ${RUNS} seeded sequences`,
    async () => {
      let sequences = 0
      await fc.assert(
        fc.asyncProperty(
          // The device's clock runs this far ahead of the server's for the whole sequence.
          fc.constantFrom(0, 3 * MINUTE, 25 * MINUTE),
          fc.commands(commands, { maxCommands: 25, size: '+1' }),
          async (deviceAhead, cmds) => {
            vi.clearAllTimers()
            server.events.removeAllListeners()
            server.resetHandlers()
            rejections.length = 0
            logged.length = 0
            const shared = createSharedStorage()
            const broken = { on: false }
            let subscriptions = 0
            const real: Real = {
              mindbody: serveMockMindbody({
                lifetimeMs: 20 * MINUTE,
                slowMs: SLOW,
                skewMs: -deviceAhead,
              }).mindbody,
              data: shared.data,
              broken,
              storage: () => {
                const tab = shared.tab()
                return {
                  ...tab,
                  setItem: (key, value) => {
                    if (broken.on) throw new DOMException('Quota exceeded', 'QuotaExceededError')
                    return tab.setItem(key, value)
                  },
                  subscribe: (key, listener) => {
                    subscriptions++
                    const stop = tab.subscribe!(key, listener)
                    return () => (subscriptions--, stop())
                  },
                }
              },
              listeners: () => subscriptions,
              page: undefined as unknown as UserTokenStorage,
              tabs: [],
              issued: [],
              issueRequests: 0,
              pending: 0,
              seen: [],
            }
            server.events.on('request:start', ({ request }) => {
              real.pending++
              if (request.url.endsWith('/usertoken/issue')) real.issueRequests++
            })
            server.events.on('request:end', () => void real.pending--)
            server.events.on('response:mocked', async ({ request, response }) => {
              if (!request.url.endsWith('/usertoken/issue') || !response.ok) return
              const body = await response
                .clone()
                .json()
                .catch(() => null)
              if (body?.AccessToken) real.issued.push(body.AccessToken)
            })
            real.page = real.storage()
            real.tabs.push(mount(real, true, real.page))
            await flush()
            const model: Model = { everBroken: false, fault: null, strict: true, before: null }
            stats.byName[`device clock ahead by ${deviceAhead / MINUTE} min`] =
              (stats.byName[`device clock ahead by ${deviceAhead / MINUTE} min`] ?? 0) + 1
            try {
              await fc.asyncModelRun(() => ({ model, real }), cmds)
            } finally {
              real.tabs.splice(0).forEach((tab) => tab.unmount())
              real.neighbour = void real.neighbour?.unmount()
            }

            real.mindbody.fail(null)
            await advance(10 * MINUTE)
            expect(vi.getTimerCount(), 'no timer left after unmount').toBe(0)
            expect(real.listeners(), 'no storage listener left after unmount').toBe(0)
            expect(real.pending, 'no request left pending').toBe(0)
            expect(rejections, 'no unhandled promise rejection').toEqual([])
            expect(logged.join('\n')).not.toMatch(
              new RegExp(SECRETS.map((s) => s.replace(/[^\w]/g, '.')).join('|')),
            )
            sequences++
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: false },
      )
      expect(sequences).toBeGreaterThanOrEqual(RUNS)
      process.stdout.write(
        `model-based: ${sequences} sequences, ${stats.steps} steps, seed ${SEED}, 0 violations\n${JSON.stringify(stats.byName)}\n`,
      )
    },
    30 * MINUTE,
  )
})
