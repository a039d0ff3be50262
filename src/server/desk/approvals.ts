import { staffPermissionNames } from '../../core/staffPermissions'
import type { SealedToken } from '../cookie/sessionSealer'
import { hex } from '../hex'
import { factsOf, noted, refusedBy } from '../observe/outcome'
import { decide } from '../permissions/permissionRefusal'
import { ruleKey } from '../permissions/permissionRules'
import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'
import { json, noContent, refuse } from '../responses'
import type { DeskCall } from './createDesks'
import { deskBody, notAtDesk } from './deskAnswers'
import { entryOf, remove, type DeskStaff } from './deskRecord'
import { provePin } from './provePin'

/** At most this many approvals wait at one desk; the oldest goes first. */
const WAITING = 20

const digest = async (body: Uint8Array<ArrayBuffer> | null) =>
  hex(await crypto.subtle.digest('SHA-256', body ?? new Uint8Array()))

/**
 * For a call the `approvals` option maps, made at a desk: the approver's session, when it carries an
 * approval given for exactly this call (method, path, query and body) at this desk, which it uses up:
 * the call goes to Mindbody with the approver's token, so Mindbody checks their permission and
 * records them; else 403 `ApprovalRequired` with a new approval to give (`ApprovalId`), or 403
 * `ApprovalInvalid` for one used, expired, not given, given for another call, or whose approver has
 * left the desk. `undefined` for a call that needs no approval.
 */
export async function approvalOf(
  context: ProxyContext,
  call: ProxyCall,
  body: Uint8Array<ArrayBuffer> | null,
) {
  const desks = context.desks
  const rule = desks?.settings.approvals?.get(ruleKey(call.request.method, call.path))
  if (!desks || !rule) return undefined
  // An approval is given at a desk: a call with none (let through by `allowAnonymous`) is signed out.
  if (!call.desk) return refusedBy('session', context.signedOut(call.siteId))
  const { id } = call.desk
  const bound = { call: `${call.request.method} ${call.path}${call.search}`, body: await digest(body) }
  const given = call.request.headers.get('X-Mindbody-Approval')
  if (given === null) {
    const approval = { ...bound, id: desks.newId(), ...rule, until: Date.now() + desks.settings.approvalMs }
    await desks.change(
      id,
      (record) => void (record.approvals = [...record.approvals.slice(1 - WAITING), approval]),
    )
    const Permissions = rule.needs.map((i) => staffPermissionNames[i])
    const Error = { Message: 'This call needs a staff member’s approval.', Code: 'ApprovalRequired' }
    const answer = json(
      { Error: { ...Error, ApprovalId: approval.id, Permissions, NeedsReason: rule.reason } },
      403,
    )
    return noted(answer, { type: 'approval-required', approvalId: approval.id })
  }
  const used = await desks.change(id, (record) => {
    const found = record.approvals.find((a) => a.id === given)
    const valid = found?.approvedBy && found.call === bound.call && found.body === bound.body
    const approver = valid && entryOf(record, { sid: found.approvedBy })
    if (approver) record.approvals = record.approvals.filter((a) => a !== found)
    return approver || undefined
  })
  const approver = used?.result && (await desks.sessionOf(used.result, id))
  if (approver) return { sealed: approver }
  const invalid = refuse(
    403,
    'This approval was used, has expired, or was given for another call.',
    'ApprovalInvalid',
  )
  return noted(invalid, { type: 'approval-refused', approvalId: given.slice(0, 32), why: 'invalid' })
}

/** `DELETE {basePath}/desk/approvals/{id}`: the approval is gone, waiting or given: 204, or 404 when there was none. */
async function cancel(context: ProxyContext, desk: DeskCall, approvalId: string) {
  const changed = await context.desks!.change(desk.id, (record) => {
    const before = record.approvals.length
    record.approvals = record.approvals.filter((a) => a.id !== approvalId)
    return record.approvals.length < before
  })
  return changed?.result ? noContent() : notAtDesk('approval')
}

/**
 * The refusal when the approver's session has ended though they are still at the desk (signed out
 * everywhere by an admin, or past its absolute limit): they leave it, their token revoked. The PIN
 * counts as activity, as an unlock's does.
 */
async function approverEnded(context: ProxyContext, desk: DeskCall, entry: DeskStaff, sealed: SealedToken) {
  if (!(await context.sessions.ended({ ...sealed, activeAt: Date.now() }))) return undefined
  await context.desks!.change(desk.id, (record) => {
    const kept = entryOf(record, { sid: entry.sid })
    if (kept) remove(record, kept)
  })
  await context.desks!.end(entry, desk.id)
  return notAtDesk('staff member')
}

/**
 * `POST {basePath}/desk/approvals/{id}` `{ UserId, Pin, Reason }`: a staff member of the desk who
 * has the permissions the call needs, and is still signed in, approves it with their PIN; `DELETE`
 * cancels it, even once given.
 */
export async function approvalRoute(context: ProxyContext, call: ProxyCall) {
  const desks = context.desks!
  const desk = call.desk!
  const approvalId = call.path.slice('/desk/approvals/'.length)
  if (call.request.method === 'DELETE') return cancel(context, desk, approvalId)
  const waiting = desk.record.approvals.find((a) => a.id === approvalId && !a.approvedBy)
  if (!waiting) return notAtDesk('approval')
  const body = await deskBody(call.request, desks.settings.pinLength)
  if (body instanceof Response) return body
  if (body.pin === undefined || body.userId === undefined || (waiting.reason && !body.reason))
    return refuse(400, `UserId, Pin${waiting.reason ? ' and Reason' : ''} are required.`, 'InvalidParameter')
  const proved = await provePin(context, desk, body.userId, body.pin)
  if (proved instanceof Response) return proved
  const ended = await approverEnded(context, desk, proved.entry, proved.sealed)
  if (ended) return ended
  const session = factsOf(proved.sealed)
  const denied = decide(waiting.needs, proved.sealed.permissions)
  if (denied) return noted(denied, { type: 'approval-refused', approvalId, why: 'permission', session })
  const changed = await desks.change(desk.id, (record) => {
    const found = record.approvals.find((a) => a.id === approvalId && !a.approvedBy)
    const approver = entryOf(record, { sid: proved.entry.sid })
    if (found && approver) found.approvedBy = approver.sid
    return !!(found && approver)
  })
  if (!changed?.result) return notAtDesk('approval')
  return noted(noContent(), { type: 'approval-granted', approvalId, session, reason: body.reason ?? null })
}
