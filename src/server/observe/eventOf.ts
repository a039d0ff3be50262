import { sha256Hex } from '../hex'
import type { ClientAddress } from '../proxyOptions'
import type { Outcome, SessionFacts } from './outcome'
import type { ProxyEvent, ProxyEventBase } from './proxyEvents'

/** What an event's base needs of the request. */
export interface EventSource {
  request: Request
  client?: ClientAddress
  /** The proxy's `clientIp` option. */
  clientIp?: (request: Request, client?: ClientAddress) => string | undefined
}

/** The client's address: `clientIp`'s, else the socket's; never a throw of `clientIp`'s. */
function addressOf({ request, client, clientIp }: EventSource) {
  try {
    return clientIp?.(request, client) ?? client?.address ?? null
  } catch {
    return client?.address ?? null
  }
}

/** A session's id: its store id, else an opaque hash that one sign-in keeps from start to end. */
const sessionIdOf = async (session: SessionFacts) =>
  session.sid ??
  (
    await sha256Hex(`session\0${session.siteId}\0${session.staff ?? session.User?.Id}\0${session.signedInAt}`)
  ).slice(0, 32)

/** What every event says: when, the site, who (from `session`, never its token), from where. */
export async function baseOf(
  source: EventSource | undefined,
  siteId: string | null,
  session?: SessionFacts | null,
): Promise<ProxyEventBase> {
  const user = session?.User
  const name = [user?.FirstName, user?.LastName].filter((part) => typeof part === 'string' && part).join(' ')
  return {
    at: new Date().toISOString(),
    siteId,
    userId: Number.isInteger(user?.Id) ? user!.Id! : null,
    userName: name || null,
    sessionId: session ? await sessionIdOf(session) : null,
    clientAddress: source ? addressOf(source) : null,
    userAgent: source?.request.headers.get('User-Agent')?.slice(0, TEXT_LIMIT) ?? null,
  }
}

/** The most of an attacker's text an event holds: a username as typed, a `User-Agent`. */
const TEXT_LIMIT = 256

/** The event an answer's `outcome` makes, for a call to `route` whose cookie held `session`. */
export async function eventOf(
  outcome: Outcome,
  source: EventSource,
  facts: { siteId: string | null; session: SessionFacts | null; status: number; route: string },
): Promise<ProxyEvent> {
  const { siteId, status, route } = facts
  switch (outcome.type) {
    case 'sign-in':
      return {
        ...(await baseOf(source, siteId, outcome.session)),
        type: 'sign-in',
        username: outcome.username.slice(0, TEXT_LIMIT),
      }
    case 'sign-in-failed': {
      const { username, code, problem } = outcome
      const base = await baseOf(source, siteId)
      return {
        ...base,
        type: 'sign-in-failed',
        username: username.slice(0, TEXT_LIMIT),
        status,
        code: code ?? null,
        problem: problem ?? null,
      }
    }
    case 'sign-in-limited':
      return {
        ...(await baseOf(source, siteId)),
        ...outcome,
        username: outcome.username.slice(0, TEXT_LIMIT),
      }
    case 'refused': {
      const { method } = source.request
      return {
        ...(await baseOf(source, siteId, facts.session)),
        type: 'refused',
        check: outcome.check,
        status,
        method,
        route,
      }
    }
    default: {
      // A desk's or an approval's event names the staff member it concerns, when it is not the caller.
      const { session, ...rest } = outcome as Outcome & { session?: SessionFacts }
      const about = 'session' in outcome ? (session ?? null) : facts.session
      return { ...(await baseOf(source, siteId, about)), ...rest } as ProxyEvent
    }
  }
}
