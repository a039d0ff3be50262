import fc from 'fast-check'
import { http } from 'msw'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { memorySessionStore, type SessionStore } from '../../src/server'
import { startProxy } from './startProxy'
import { startStandIn } from './standIn'
import { gate, releaseHeld, type Gate } from './gate'

/**
 * Model-based property test of revocation on two proxy instances that share one session store (one
 * `memorySessionStore()` object standing in for a shared Redis), in front of one Mindbody stand-in,
 * over real sockets. Random sequences of sign-ins, renewals and activity reports left in flight,
 * reads, revocations (`proxy.sessions.revoke` on either instance, or `DELETE /sessions/{id}` from
 * another session of the same staff member) and clock moves, with the invariants checked after every
 * step. Seeded and reproducible: a failure prints the seed, the shrunk sequence (whose steps name
 * sessions and cookies by raw picks, taken modulo what exists) and, under "What the run did", what each
 * step resolved to and every answer. FC_RUNS and FC_SEED override the defaults. Only `Date` is faked:
 * sockets and timers are real.
 *
 * The invariants: (1) a revoked session never answers 2xx again: a request started after its
 * revocation resolved, with any cookie it ever had, on either instance, answers 401 SessionExpired
 * 'revoked', and one in flight across the revocation answers 401 too; (2) once nothing is in flight,
 * both instances list exactly the live sessions, and every cookie of a revoked session answers 401 on
 * both; (3) a revoked session's token is dead at Mindbody once its cookie was seen after the
 * revocation; (4) no answer holds the password or a token. And a live session keeps working.
 */
const RUNS = Number(process.env.FC_RUNS ?? 80)
const SEED = Number(process.env.FC_SEED ?? 20261207)
const MAX_STEPS = 20
const SITE = -99
const MINUTE = 60_000
const PASSWORD = 'demo-password'
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: PASSWORD })
const TOKEN_PATH = '/mindbody/public/v6/usertoken'
const STAFF_LIST = '/mindbody/public/v6/staff/staff'
const CLEARED = /^mindbody-session\.-99=; Path=\/mindbody; Max-Age=0;/
/** The mock renews one token at most this many times, then answers 400. */
const RENEWALS = 7
const NAMES = ['A', 'B'] as const
type Instance = 0 | 1

/** An answer read whole. */
interface Answer {
  status: number
  body: string
  setCookie: string | undefined
  /** Status, headers and body, to look for secrets in. */
  raw: string
}

/** One sign-in, as the model knows it. */
interface Session {
  name: string
  id: string
  token: string
  /** Every cookie it ever had: the sign-in's, and each one a renewal or activity report re-sealed. */
  cookies: string[]
  /** Renewals Mindbody granted its token. */
  renewals: number
  /** Its revocation resolved. */
  revoked: boolean
  /** A request with one of its cookies, started after its revocation resolved, was answered. */
  seenAfterRevoke: boolean
}

type Kind = 'read' | 'forward' | 'renew' | 'activity' | 'delete'

/** A renewal or activity report held at its gate. */
interface InFlight {
  label: string
  kind: Kind
  session: Session
  gate: Gate
  answer: Promise<Answer>
  startedAfterRevoke: boolean
}

type ProxyServer = Awaited<ReturnType<typeof startProxy>>

interface World {
  proxies: [ProxyServer, ProxyServer]
  sessions: Session[]
  inFlight: InFlight[]
  /** Every request held so far in the run, released or not. */
  held: InFlight[]
  /** The gate the next renewal to reach the stand-in waits at. */
  renewGate?: Gate
  /** The gate the next `update` of the store waits at. */
  updateGate?: Gate
  trace: string[]
}

const stats = { runs: 0, steps: 0, byName: {} as Record<string, number>, races: {} as Record<string, number> }
const count = (table: Record<string, number>, key: string) => void (table[key] = (table[key] ?? 0) + 1)

let standIn: Awaited<ReturnType<typeof startStandIn>>
/** The world of the run under way, which the stand-in's gate and the store's gate look at. */
let current: World | undefined

beforeAll(async () => {
  standIn = await startStandIn()
  // A renewal waits here while the run holds it in flight; answering nothing passes it on to the mock.
  standIn.use(
    http.post('*/public/:version/usertoken/renew', async () => {
      const held = current?.renewGate
      if (!held) return
      current!.renewGate = undefined
      held.arrive()
      await held.opened
    }),
  )
})
afterAll(() => standIn.close())
beforeEach(() => void vi.useFakeTimers({ toFake: ['Date'] }))
afterEach(() => void vi.useRealTimers())

/** The shared store, with `update` held at the world's gate while an activity report is being started. */
function gatedStore(store: SessionStore, world: () => World): SessionStore {
  return {
    create: (record) => store.create(record),
    async update(record) {
      const held = world().updateGate
      if (held) {
        world().updateGate = undefined
        held.arrive()
        await held.opened
      }
      return store.update(record)
    },
    get: (id) => store.get(id),
    list: (siteId) => store.list(siteId),
    revoke: (id) => store.revoke(id),
    claimEnd: (key, until) => store.claimEnd(key, until),
  }
}

/** What a same-origin page sends to instance `i`: the CSRF header, its Origin, its site, the cookie. */
async function call(world: World, i: Instance, path: string, cookie?: string, init: RequestInit = {}) {
  const { origin } = world.proxies[i]
  const response = await fetch(origin + path, {
    ...init,
    headers: {
      'X-Mindbody-Proxy': '1',
      Origin: origin,
      SiteId: String(SITE),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(cookie ? { Cookie: cookie } : {}),
    },
  })
  const body = await response.text()
  return {
    status: response.status,
    body,
    setCookie: response.headers.getSetCookie()[0],
    raw: `${response.status} ${JSON.stringify([...response.headers])} ${body}`,
  } satisfies Answer
}

const secretsOf = (world: World) => [PASSWORD, ...world.sessions.map((s) => s.token)]
const short = (cookie: string) => `…${cookie.slice(-8)}`
const cookieName = (session: Session, cookie: string) =>
  `${session.name}.cookie${session.cookies.indexOf(cookie)}`

/**
 * Judges one answer to a request made with `session`'s cookie, and keeps the cookie it re-sealed.
 * (1): started after the revocation resolved, it is 401 SessionExpired 'revoked' with the cookie
 * cleared; answered after it, never 2xx. (4): no secret in it. A live session answers as it should.
 */
function observe(world: World, session: Session, kind: Kind, label: string, answer: Answer, after: boolean) {
  const resealed = answer.setCookie && !CLEARED.test(answer.setCookie) ? answer.setCookie.split(';')[0]! : ''
  world.trace.push(`    ${label} → ${answer.status}${resealed ? ` (re-sealed ${short(resealed)})` : ''}`)
  for (const secret of secretsOf(world))
    expect(answer.raw.includes(secret), `(4) no password or token in the answer to ${label}`).toBe(false)
  if (after) {
    expect(answer.status, `(1) ${label}: started after ${session.name} was revoked, answers 401`).toBe(401)
    expect(JSON.parse(answer.body), `(1) ${label}: the session ended as revoked`).toEqual({
      Error: { Message: 'This session has ended. Sign in again.', Code: 'SessionExpired', Reason: 'revoked' },
    })
    expect(answer.setCookie, `(1) ${label}: the cookie is cleared`).toMatch(CLEARED)
    session.seenAfterRevoke = true
    return
  }
  if (session.revoked) {
    // In flight across the revocation: it ends there, whatever Mindbody answered meanwhile.
    expect(answer.status, `(1) ${label}: ${session.name} was revoked meanwhile, never 2xx again`).toBe(401)
    expect(answer.setCookie, `(1) ${label}: the cookie is cleared`).toMatch(CLEARED)
    count(stats.races, `${kind} across a revocation`)
    return
  }
  if (kind === 'renew' && session.renewals >= RENEWALS) {
    expect(answer.status, `${label}: Mindbody refuses an eighth renewal`).toBe(400)
    return
  }
  const expected = { read: 200, forward: 200, renew: 200, activity: 204, delete: 204 }[kind]
  expect(answer.status, `${label}: ${session.name} is live`).toBe(expected)
  if (kind === 'renew' || kind === 'activity') {
    expect(resealed, `${label}: re-sealed the cookie`).not.toBe('')
    if (kind === 'renew') session.renewals++
    if (!session.cookies.includes(resealed)) session.cookies.push(resealed)
  }
}

/** Invariants after every step: (3) a revoked session's token is dead once its cookie was seen after. */
function invariants(world: World) {
  for (const s of world.sessions)
    if (s.revoked && s.seenAfterRevoke)
      expect(standIn.mindbody.isValid(s.token), `(3) ${s.name}'s token is revoked at Mindbody`).toBe(false)
    else if (!s.revoked)
      expect(standIn.mindbody.isValid(s.token), `${s.name} is live: its token is valid`).toBe(true)
}

/** Releases every held request, one by one in the order they started, and judges each answer. */
async function releaseAll(world: World) {
  while (world.inFlight.length) {
    const held = world.inFlight.shift()!
    world.trace.push(`    release ${held.label}`)
    held.gate.open()
    observe(world, held.session, held.kind, held.label, await held.answer, held.startedAfterRevoke)
  }
}

/**
 * (2) With nothing in flight: each instance lists exactly the live sessions, and every cookie a
 * revoked session ever had answers 401 on both; then (3) holds for every revoked session.
 */
async function settled(world: World) {
  await releaseAll(world)
  const live = world.sessions.filter((s) => !s.revoked)
  for (const i of [0, 1] as const) {
    const listed = await world.proxies[i].proxy.sessions.list({ siteId: SITE })
    const named = (ids: string[]) =>
      ids.map((id) => world.sessions.find((s) => s.id === id)?.name ?? `unknown ${id}`).sort()
    expect(named(listed.map((r) => r.id)), `(2) ${NAMES[i]} lists the live sessions, no revoked one`).toEqual(
      named(live.map((s) => s.id)),
    )
  }
  for (const session of world.sessions.filter((s) => s.revoked))
    for (const cookie of session.cookies)
      for (const i of [0, 1] as const) {
        const label = `(2) probe GET /mindbody/session on ${NAMES[i]} with ${cookieName(session, cookie)}`
        observe(world, session, 'read', label, await call(world, i, '/mindbody/session', cookie), true)
      }
  invariants(world)
}

async function signIn(world: World, i: Instance) {
  const answer = await call(world, i, `${TOKEN_PATH}/issue`, undefined, { method: 'POST', body: STAFF })
  expect(answer.status, `sign-in on ${NAMES[i]}`).toBe(200)
  const token = standIn.mindbody.validTokens().at(-1)!
  const known = new Set(world.sessions.map((s) => s.id))
  const fresh = (await world.proxies[i].proxy.sessions.list({ siteId: SITE })).filter((r) => !known.has(r.id))
  expect(fresh, 'a sign-in creates one record').toHaveLength(1)
  const session: Session = {
    name: `s${world.sessions.length}`,
    id: fresh[0]!.id,
    token,
    cookies: [answer.setCookie!.split(';')[0]!],
    renewals: 0,
    revoked: false,
    seenAfterRevoke: false,
  }
  world.sessions.push(session)
  world.trace.push(`    ${session.name} signed in on ${NAMES[i]}`)
  for (const secret of secretsOf(world))
    expect(answer.raw.includes(secret), '(4) no password or token in a sign-in answer').toBe(false)
}

/** Starts a renewal or activity report and leaves it at its gate, or judges it if it never got there. */
async function hold(world: World, i: Instance, kind: 'renew' | 'activity', s: number, c: number) {
  const session = world.sessions[s % world.sessions.length]!
  const cookie = session.cookies[c % session.cookies.length]!
  const held = gate()
  const path = kind === 'renew' ? `${TOKEN_PATH}/renew` : '/mindbody/session/activity'
  const label = `${kind} on ${NAMES[i]} with ${cookieName(session, cookie)}`
  if (kind === 'renew') world.renewGate = held
  else world.updateGate = held
  const after = session.revoked
  const answer = call(world, i, path, cookie, { method: 'POST' })
  const reached = await Promise.race([held.arrived.then(() => true), answer.then(() => false)])
  world.renewGate = world.updateGate = undefined
  world.trace.push(`  ${label}${reached ? ': held in flight' : ''}`)
  if (!reached) return observe(world, session, kind, label, await answer, after)
  const flight = { label, kind, session, gate: held, answer, startedAfterRevoke: after }
  world.inFlight.push(flight)
  world.held.push(flight)
}

/** Marks `target` revoked once its revocation resolved; `done` says whether it ended a live session. */
function revoked(target: Session, done: boolean) {
  expect(done, `revoking ${target.name} ends it only while it is live`).toBe(!target.revoked)
  target.revoked = true
}

const command = (name: string, run: (world: World) => Promise<void>, check = (_: World) => true) => ({
  check,
  async run(world: World) {
    stats.steps++
    count(stats.byName, name.replace(/\(.*/, ''))
    world.trace.push(`${name}:`)
    await run(world)
    invariants(world)
  },
  toString: () => name,
})
const someSession = (world: World) => world.sessions.length > 0

const instance = fc.constantFrom<Instance>(0, 1)
const pick = fc.nat(99)
const commands = [
  instance.map((i) => command(`signIn(${NAMES[i]})`, (world) => signIn(world, i))),
  fc
    .tuple(instance, pick, pick)
    .map(([i, s, c]) =>
      command(`renew(${NAMES[i]}, session ${s}, cookie ${c})`, (w) => hold(w, i, 'renew', s, c), someSession),
    ),
  fc.tuple(instance, pick, pick).map(([i, s, c]) =>
    command(
      `activity(${NAMES[i]}, session ${s}, cookie ${c})`,
      async (world) => {
        // Past a minute since any activity the cookie holds, so the report re-seals and updates the record.
        vi.setSystemTime(Date.now() + MINUTE + 1_000)
        await hold(world, i, 'activity', s, c)
      },
      someSession,
    ),
  ),
  fc.tuple(instance, pick, pick, fc.boolean()).map(([i, s, c, forwarded]) =>
    command(
      `${forwarded ? 'forward' : 'read'}(${NAMES[i]}, session ${s}, cookie ${c})`,
      async (world) => {
        const session = world.sessions[s % world.sessions.length]!
        const cookie = session.cookies[c % session.cookies.length]!
        const path = forwarded ? STAFF_LIST : '/mindbody/session'
        const label = `GET ${path} on ${NAMES[i]} with ${cookieName(session, cookie)}`
        const after = session.revoked
        const answer = await call(world, i, path, cookie)
        observe(world, session, forwarded ? 'forward' : 'read', label, answer, after)
      },
      someSession,
    ),
  ),
  fc.tuple(instance, pick).map(([i, s]) =>
    command(
      `revoke(${NAMES[i]}.sessions.revoke, session ${s})`,
      async (world) => {
        const target = world.sessions[s % world.sessions.length]!
        const ended = await world.proxies[i].proxy.sessions.revoke({ siteId: SITE, sessionId: target.id })
        world.trace.push(`    ${NAMES[i]}.sessions.revoke(${target.name}) → ${ended}`)
        revoked(target, ended === 1)
      },
      someSession,
    ),
  ),
  fc.tuple(instance, pick, pick, pick).map(([i, d, t, c]) =>
    command(
      `delete(${NAMES[i]}, by session ${d}, cookie ${c}, of session ${t})`,
      async (world) => {
        const deleter = world.sessions[d % world.sessions.length]!
        const others = world.sessions.filter((s) => s !== deleter)
        const target = others[t % others.length]!
        const cookie = deleter.cookies[c % deleter.cookies.length]!
        const label = `DELETE /mindbody/sessions/${target.name} on ${NAMES[i]} with ${cookieName(deleter, cookie)}`
        const after = deleter.revoked
        const answer = await call(world, i, `/mindbody/sessions/${target.id}`, cookie, { method: 'DELETE' })
        if (!after && target.revoked) {
          world.trace.push(`    ${label} → ${answer.status}`)
          expect(answer.status, `${label}: no such session any more`).toBe(404)
          return
        }
        observe(world, deleter, 'delete', label, answer, after)
        if (answer.status === 204) revoked(target, true)
      },
      (world) => world.sessions.length > 1,
    ),
  ),
  fc
    .integer({ min: 1_000, max: 10 * MINUTE })
    .map((ms) => command(`time(+${ms} ms)`, async () => void vi.setSystemTime(Date.now() + ms))),
  pick.map((k) =>
    command(
      `release(${k})`,
      async (world) => {
        const [held] = world.inFlight.splice(k % world.inFlight.length, 1)
        world.trace.push(`    release ${held!.label}`)
        held!.gate.open()
        observe(world, held!.session, held!.kind, held!.label, await held!.answer, held!.startedAfterRevoke)
      },
      (world) => world.inFlight.length > 0,
    ),
  ),
  fc.constant(command('releaseAll', settled)),
]

describe('model-based: revocation on two instances sharing one session store, with requests in flight', () => {
  it(`keeps every invariant over ${RUNS} seeded sequences`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: MAX_STEPS, size: '+1' }), async (cmds) => {
        standIn.mindbody.reset()
        const shared = memorySessionStore()
        const store = gatedStore(shared, () => world)
        // A generous store deadline: an activity report waits at its gate for several steps.
        const options = { session: { store }, storeTimeoutMs: 60_000 }
        const proxies = await Promise.all([
          startProxy(standIn.url, options),
          startProxy(standIn.url, options),
        ])
        const world: World = {
          proxies: proxies as [ProxyServer, ProxyServer],
          sessions: [],
          inFlight: [],
          held: [],
          trace: [],
        }
        current = world
        try {
          await signIn(world, 0)
          await signIn(world, 1)
          await fc.asyncModelRun(() => ({ model: world, real: world }), cmds)
          world.trace.push('at the end: releaseAll')
          await settled(world)
          stats.runs++
        } catch (error) {
          if (error instanceof Error) error.message += `\nWhat the run did:\n${world.trace.join('\n')}`
          throw error
        } finally {
          await releaseHeld(world.held)
          current = undefined
          await Promise.all(proxies.map((p) => p.close()))
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    )
    expect(stats.runs).toBeGreaterThanOrEqual(RUNS)
    process.stdout.write(
      `sessions model: ${stats.runs} sequences, ${stats.steps} steps, seed ${SEED}, 0 violations\n` +
        `${JSON.stringify(stats.byName)}\n${JSON.stringify(stats.races)}\n`,
    )
  }, 300_000)
})
