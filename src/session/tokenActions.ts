import { createSender, createTokenCalls } from '../core/createUserTokenApi'
import { MindbodyError } from '../core/MindbodyError'
import { modeOf } from '../core/modes'
import { retryDelayAfter, retryWhenRetryable, type RetryOptions } from '../core/retryPolicy'
import { need } from '../core/validate'
import { resolveConfig } from '../core/resolveConfig'
import { inOrder } from './inOrder'
import { followedRecord, pageRecord } from './pageRecord'
import { commit, hold } from './pageStore'
import { sessionPlace } from './sessionPlace'
import { reasonOf, type SignOutReason } from './signOutReason'
import type { PageRecord } from './pageRecord'
import type { IssueRequest, IssueResponse } from '../core/types'
import type { MindbodyConfig, ResolvedMindbodyConfig } from '../core/MindbodyConfig'

/** Ends the sign-in on this page only, for `why`; a no-op when signed out. */
const end = (record: PageRecord, why: SignOutReason) => void (record.store.held && commit(record, null, why))

/** The one rule for a failed call with the token: a 401 ends the sign-in, for the reason it gives. */
function fail(record: PageRecord, error: unknown) {
  const why = reasonOf(error)
  if (why) end(record, why)
}

/** Signs in; the last action wins: a sign-in overtaken by a later one fails as `'aborted'`, its token revoked. */
async function signIn(record: PageRecord, config: ResolvedMindbodyConfig, request: IssueRequest) {
  const turn = ++record.order.turn
  const api = createTokenCalls(config)
  const arrived = await inOrder(record, config, async () => {
    const issued = await api.issue(request)
    if (record.order.turn === turn) return issued
    // Overtaken: revoke it, in server mode before the next call may set the cookie again.
    const revoked = api.revoke(issued.token.AccessToken).catch(() => {})
    if (modeOf(config).inOrder) await revoked
    throw new MindbodyError('aborted', 'Sign-in overtaken by a later sign-in or sign-out')
  })
  commit(record, hold(arrived, record.store.held))
  return arrived.token
}

/**
 * Signs out for `why`: `current` is cleared at once, then revoked on the server, retried as
 * `retrying` says (only a retryable failure, waiting at least `Retry-After`).
 */
async function signOut(
  record: PageRecord,
  config: ResolvedMindbodyConfig,
  why: SignOutReason,
  current: IssueResponse | null,
  retrying: RetryOptions = {},
): Promise<void> {
  record.order.turn++
  if (!current) return
  commit(record, null, why)
  const api = createTokenCalls(config)
  const shouldRetry = retryWhenRetryable(retrying.retry)
  const delay = retryDelayAfter(retrying.retryDelay)
  for (let failures = 0; ; failures++) {
    try {
      return await inOrder(record, config, () => api.revoke(current.AccessToken))
    } catch (error) {
      if (!shouldRetry(failures, error as MindbodyError)) throw error
      await new Promise((resolve) => setTimeout(resolve, delay(failures, error as MindbodyError)))
    }
  }
}

/**
 * Renews `current`; concurrent calls of the page share one request. Any 2xx is a renewal. A failure
 * goes through the one rule while the token is still the one renewed.
 */
function renew(record: PageRecord, config: ResolvedMindbodyConfig, current: IssueResponse | null) {
  // With no provider following (an option factory alone), the token renewed is the one held.
  const held = () => (record.store.held === undefined ? current : record.store.held?.token)
  const run = async () => {
    need(current, 'accessToken: nobody is signed in')
    const isHeld = () => held()?.AccessToken === current.AccessToken
    try {
      const arrived = await inOrder(record, config, () => createTokenCalls(config).renew(current))
      if (isHeld()) commit(record, hold(arrived, record.store.held))
      return arrived.token
    } catch (error) {
      if (isHeld()) fail(record, error)
      throw error
    }
  }
  return (record.renew.request ??= run().finally(() => (record.renew.request = undefined)))
}

/**
 * The session's actions on one sign-in of the page, the only writers of its token. Each sign-in and
 * sign-out takes a turn: the last action wins, in any widget. `current` is the token to act on: the
 * page's by default, or for an option factory used with no provider, the one its QueryClient holds.
 */
export function tokenActions(record: PageRecord, config: ResolvedMindbodyConfig) {
  const token = (): IssueResponse | null => record.store.held?.token ?? null
  return {
    /** The sign-in acted on, and its config, for the parts that read beside it (`pagePermissions`). */
    record,
    config,
    token,
    signIn: (request: IssueRequest) => signIn(record, config, request),
    signOut: (why: SignOutReason, current = token(), retrying?: RetryOptions) =>
      signOut(record, config, why, current, retrying),
    renew: (current = token()): Promise<IssueResponse> => renew(record, config, current),
    end: (why: SignOutReason) => end(record, why),
    /**
     * Locks the front desk with `call` (`POST /desk/lock`), in turn: the page signs out as `'locked'`
     * (the sign-in stays parked on the proxy) at once, or with `later`, once the proxy has locked. Its
     * turn makes a sign-in or unlock in flight lose.
     */
    lock<T = unknown>(
      call = () => createSender(config)('POST', '/desk/lock') as Promise<T>,
      later?: boolean,
    ) {
      const turn = ++record.order.turn
      if (!later) end(record, 'locked')
      return inOrder(record, config, call).then((answer) => {
        if (record.order.turn === turn) end(record, 'locked')
        return answer
      })
    },
    fail: (error: unknown) => fail(record, error),
  }
}

/** The actions on one sign-in of the page. */
export type TokenActions = ReturnType<typeof tokenActions>

/**
 * The actions on `config`'s sign-in for the option factories: the one that providers of the page
 * follow, else the page's default one (memory in token mode, the proxy's cookie in server mode).
 */
export function actionsFor(config: MindbodyConfig): TokenActions {
  need(config && typeof config === 'object', 'config')
  const resolved = resolveConfig(config)
  const place = sessionPlace(resolved)
  const record = followedRecord(place.site) ?? pageRecord(place)
  return tokenActions(record, resolved)
}
