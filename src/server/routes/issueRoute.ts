import { parseToken } from '../../core/parseToken'
import type { IssueResponse } from '../../core/types'
import type { ProxyContext } from '../proxyContext'
import type { SealedToken } from '../cookie/sessionSealer'
import { readBody, readJson } from '../readBody'
import { sha256Hex } from '../hex'
import { forgetAttempts, overLimit } from './signInLimit'
import { json, passThrough, refuse, unreachable, visible, withCookie } from '../responses'
import type { ProxyCall } from '../readCall'
import { problemOf } from '../../core/problemOf'
import { factsOf, noted } from '../observe/outcome'
import { errorIn } from '../observe/routeTemplate'
import type { TokenAnswer } from '../responses'
import { readPermissions } from '../permissions/readPermissions'
import { shownDesk } from '../desk/deskRecord'

const BODY_LIMIT = 64 * 1024
/** Thrown when the browser has left a sign-in that Mindbody has answered. */
const GONE = Symbol('the client has gone')

/** The credentials of a sign-in request, or the refusal for a body that holds none. */
async function credentialsOf(request: Request) {
  const body = await readBody(request, BODY_LIMIT)
  if (!body) return refuse(413, 'Request body too large.', 'PayloadTooLarge')
  let credentials: { Username?: unknown; Password?: unknown }
  try {
    credentials = readJson(body) ?? {}
  } catch {
    return refuse(400, 'The body must be JSON: { Username, Password }.', 'InvalidParameter')
  }
  const { Username, Password } = credentials
  if (typeof Username !== 'string' || typeof Password !== 'string' || !Username.trim())
    return refuse(400, 'Username and Password are required.', 'InvalidParameter')
  return { Username, Password }
}

/** A sign-in that did not happen, noted with Mindbody's code and its problem when it answered. */
function failed(response: Response, username: string, answer?: TokenAnswer) {
  const { code, message } = errorIn(answer?.body)
  const problem = answer && problemOf(answer.status, code, message, true)
  return noted(response, { type: 'sign-in-failed', username, status: response.status, code, problem })
}

/**
 * Keeps a new sign-in's `sealed` session: the one before ended (at a desk, parked instead), then
 * sealed, or joined to the desk. A browser that has left by then, a desk that refuses, or a store
 * that cannot keep it, leaves no session: the token Mindbody issued for it is revoked.
 */
async function keep(context: ProxyContext, call: ProxyCall, sealed: SealedToken, userKey: string) {
  const { request, sealed: previous, watch } = call
  try {
    if (
      !call.desk &&
      previous &&
      (await context.sessions.forget(previous)) &&
      previous.AccessToken !== sealed.AccessToken
    )
      await context.revokeUpstream(previous, watch)
    if (request.signal.aborted) throw GONE
    const kept = await context.seal(sealed, call.desk, userKey)
    if (kept instanceof Response) {
      await context.revokeUpstream(sealed, watch)
      return kept
    }
    if (request.signal.aborted)
      throw await Promise.all([context.sessions.forget(kept.sealed), context.cleared(kept.sealed)]).then(
        () => GONE,
      )
    return kept
  } catch (error) {
    await context.revokeUpstream(sealed, watch)
    if (error === GONE) return unreachable()
    throw error
  }
}

/**
 * `POST …/usertoken/issue`: signs in within the limits, reads the staff member's permissions (one call,
 * none for an owner or admin), seals both into the cookie and answers the token without its
 * `AccessToken`. The token the cookie held before is revoked upstream: one session per site.
 * A browser that leaves before Mindbody answers drops the call; one that leaves after gets no session,
 * and the token Mindbody issued for it is revoked.
 */
export async function issueRoute(context: ProxyContext, call: ProxyCall) {
  const { request, siteId, version, watch } = call
  const credentials = await credentialsOf(request)
  if (credentials instanceof Response) return credentials
  // One budget per person: compatibility forms (fullwidth, ligatures) of a username are one username.
  const username = credentials.Username.normalize('NFKC').trim().toLowerCase()
  const userKey = `signin:${siteId}:${await sha256Hex(username)}`
  const refused = await overLimit(context, call, userKey, credentials.Username)
  if (refused) return refused
  const staff = await context.identity(siteId, credentials.Username)
  const full = context.keeper?.full(call.desk, staff)
  if (full) return full

  const answer = await context.upstream.read(`/public/v${version}/usertoken/issue`, {
    method: 'POST',
    siteId,
    body: JSON.stringify(credentials),
    contentType: 'application/json',
    client: request.signal,
    watch,
  })
  if (!answer) return failed(unreachable(), credentials.Username)
  if (!answer.ok) return failed(passThrough(answer), credentials.Username, answer)
  let token: IssueResponse
  try {
    token = parseToken(answer.body && readJson(answer.body))
  } catch {
    return failed(
      refuse(502, 'Mindbody sent an answer that is not a token.', 'BadGateway'),
      credentials.Username,
    )
  }
  // Unknown when they cannot be read: the sign-in holds, and they are read again when asked for.
  const read = await readPermissions(context, { ...token, siteId, version }, request.signal, watch)
  const sealed = {
    ...token,
    siteId,
    version,
    ...context.sessions.begin(staff),
    ...('kept' in read && { permissions: read.kept }),
  }
  await forgetAttempts(context, userKey)
  const kept = await keep(context, call, sealed, userKey)
  if (kept instanceof Response) return kept
  const outcome = { type: 'sign-in' as const, username: credentials.Username, session: factsOf(sealed) }
  const desk = kept.record && { Desk: shownDesk(kept.record, context.desks!.settings.pinLength) }
  return noted(withCookie(json({ ...visible(token), ...desk }), kept.cookie), outcome)
}
