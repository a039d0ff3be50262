import type { MindbodyProblem } from '../../core/problemOf'
import type { User } from '../../core/types'
import type { SessionEndReason } from '../sessionEndReason'
import type { ProxyCheck } from './proxyEvents'

/** Where a route notes what its answer meant, for the events: a symbol, never sent. */
export const OUTCOME = Symbol('react-mindbody-user-token/outcome')

/** What a new sign-in's session is, for its event: never its token. */
export interface SessionFacts {
  siteId: string
  User?: User
  sid?: string
  staff?: string
  signedInAt: number
}

/** A session's facts, picked from what its cookie seals: never its token. */
export const factsOf = ({ siteId, User, sid, staff, signedInAt }: SessionFacts): SessionFacts => ({
  siteId,
  User,
  sid,
  staff,
  signedInAt,
})

/** What an answer meant, as the route that gave it notes it; the other fields come from the call. */
export type Outcome =
  | { type: 'sign-in'; username: string; session: SessionFacts }
  | { type: 'sign-in-failed'; username: string; status: number; code?: string; problem?: MindbodyProblem }
  | { type: 'sign-in-limited'; username: string; limit: 'username' | 'ip' }
  | { type: 'renew' }
  | { type: 'sign-out' }
  | { type: 'session-ended'; reason: SessionEndReason }
  | { type: 'refused'; check: ProxyCheck }
  | { type: 'desk-locked' }
  | { type: 'desk-unlocked'; switched: boolean; session: SessionFacts }
  | { type: 'desk-pin-set' }
  | { type: 'desk-pin-wrong'; session: SessionFacts; ended: boolean }
  | { type: 'desk-shift-ended'; session?: SessionFacts }
  | { type: 'approval-required'; approvalId: string }
  | { type: 'approval-granted'; approvalId: string; session: SessionFacts; reason: string | null }
  | { type: 'approval-refused'; approvalId: string; why: 'invalid' | 'permission'; session?: SessionFacts }

/** An answer with what it meant noted on it. */
export type Noted = Response & { [OUTCOME]?: Outcome }

/** Notes `outcome` on `response`: set only on the answers that make an event, never on a forwarded one. */
export const noted = (response: Response, outcome: Outcome): Response =>
  Object.assign(response, { [OUTCOME]: outcome })

/** Notes that `check` refused the call. */
export const refusedBy = (check: ProxyCheck, response: Response): Response =>
  noted(response, { type: 'refused', check })

/** A refusal promised or given, noted as `check`'s; `undefined` stays `undefined`. */
export const refusalOf = (
  check: ProxyCheck,
  refusal: Response | undefined | Promise<Response | undefined>,
): Response | undefined | Promise<Response | undefined> =>
  refusal instanceof Promise
    ? refusal.then((r) => r && refusedBy(check, r))
    : refusal && refusedBy(check, refusal)
