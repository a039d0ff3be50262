import { factsOf, noted } from '../observe/outcome'
import type { SealedToken } from '../cookie/sessionSealer'
import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'
import { json, refuse, visible, withCookie } from '../responses'
import { limitHit } from '../routes/signInLimit'
import { deskBody, notAtDesk } from './deskAnswers'
import { entryOf, park, remove, shownDesk, type DeskRecord } from './deskRecord'
import { hashPin } from './pinHash'
import { provePin } from './provePin'

/**
 * The desk as the browser sees it, with a pass naming who is active now; or `null` with the cookie
 * cleared when nobody is left at it.
 */
const deskAnswer = async (
  context: ProxyContext,
  { siteId }: ProxyCall,
  record: DeskRecord | null | undefined,
  extra?: object,
) =>
  record
    ? withCookie(
        json({ ...extra, Desk: shownDesk(record, context.desks!.settings.pinLength) }),
        await context.desks!.pass(record),
      )
    : withCookie(json(null), context.clear(siteId))

/** `POST {basePath}/desk/lock`: parks whoever is active; every call but an unlock or a sign-in then answers 423. */
export async function lockRoute(context: ProxyContext, call: ProxyCall) {
  const changed = await context.desks!.change(call.desk!.id, park)
  return noted(await deskAnswer(context, call, changed?.record), { type: 'desk-locked' })
}

/**
 * `POST {basePath}/desk/unlock` `{ UserId, Pin }`: that staff member is active now (switching is an
 * unlock as someone else), with their session as it was; the PIN counts as activity. A session the
 * proxy has ended meanwhile (revoked, or past its absolute limit) ends here instead.
 */
export async function unlockRoute(context: ProxyContext, call: ProxyCall) {
  const desks = context.desks!
  const body = await deskBody(call.request, desks.settings.pinLength)
  if (body instanceof Response) return body
  if (body.pin === undefined || body.userId === undefined)
    return refuse(400, 'UserId and Pin are required.', 'InvalidParameter')
  const proved = await provePin(context, call.desk!, body.userId, body.pin)
  if (proved instanceof Response) return proved
  const { entry } = proved
  const woken = { ...proved.sealed, activeAt: Date.now() }
  const reason = await context.sessions.ended(woken)
  if (reason) return context.sessions.end(woken, reason, call.watch)
  const changed = await desks.change(call.desk!.id, async (record) => {
    const found = entryOf(record, { sid: entry.sid })
    // Re-sealed from the entry as it is now, woken: a renewal since the PIN was proved is kept.
    const current = found && (await desks.sessionOf(found, call.desk!.id))
    if (!found || !current) return undefined
    const now = { ...current, activeAt: woken.activeAt }
    const { desk: _, ...token } = now
    const kept = await desks.seal(token, found.until)
    const before = record.active ?? record.last
    if (record.active !== found.sid) park(record)
    Object.assign(found, { token: kept, tries: 0, parkedAt: null })
    record.active = found.sid
    return { switched: before !== null && before !== found.sid, now, until: found.until }
  })
  if (!changed?.result) return notAtDesk('staff member')
  // The session as the edit wrote it: its expiry is a renewal's that landed after the PIN was proved.
  const { switched, now, until } = changed.result
  // Revoked while the PIN was checked: the unlock does not bring the session back.
  if (!(await context.sessions.update(now, until))) return context.sessions.end(now, 'revoked', call.watch)
  const outcome = { type: 'desk-unlocked' as const, switched, session: factsOf(now) }
  return noted(await deskAnswer(context, call, changed.record, visible(now)), outcome)
}

/**
 * The refusal when `sealed`'s session has set its PIN as often as the sign-in limit allows in its
 * window: each costs a slow hash, so one cookie cannot keep the server hashing. A store that cannot
 * count fails closed.
 */
async function tooManyPins(context: ProxyContext, sealed: SealedToken) {
  const hit = await limitHit(context, `desk-pin:${sealed.sid}`)
  if (hit === 'failed')
    return refuse(503, 'PINs cannot be set for a moment. Try again later.', 'ServiceUnavailable', {
      'Retry-After': '30',
    })
  if (!hit) return undefined
  const retry = { 'Retry-After': String(Math.ceil(context.signInLimit.windowMs / 1000)) }
  return refuse(429, 'This PIN was changed too often. Try again later.', 'TooManyRequests', retry)
}

/**
 * `POST {basePath}/desk/pin` `{ Pin, CurrentPin }`: the active staff member sets their PIN, kept only
 * as a slow salted hash. Changing one needs the current PIN (a wrong one counts as any wrong PIN):
 * whoever finds the desk unlocked cannot make a PIN of their own for that staff member, and approve
 * as them later.
 */
export async function pinRoute(context: ProxyContext, call: ProxyCall) {
  const desks = context.desks!
  const body = await deskBody(call.request, desks.settings.pinLength)
  if (body instanceof Response) return body
  if (body.pin === undefined) return refuse(400, 'Pin is required.', 'InvalidParameter')
  const sealed = call.sealed!
  const own = entryOf(call.desk!.record, { sid: sealed.sid })
  if (own?.pin && body.currentPin === undefined)
    return refuse(400, 'CurrentPin is required to change a PIN.', 'InvalidParameter')
  // Counted before any hash, the current PIN's included.
  const refused = await tooManyPins(context, sealed)
  if (refused) return refused
  const proved = own?.pin && (await provePin(context, call.desk!, own.userId, body.currentPin!))
  if (proved instanceof Response) return proved
  const pin = await hashPin(body.pin)
  const changed = await desks.change(call.desk!.id, (record) => {
    const entry = entryOf(record, { sid: sealed.sid })
    if (entry) Object.assign(entry, { pin, tries: 0 })
    return !!entry
  })
  if (!changed?.result) return context.sessions.end(sealed, 'revoked', call.watch)
  return noted(await deskAnswer(context, call, changed.record), { type: 'desk-pin-set' })
}

/**
 * `POST {basePath}/desk/end` `{ UserId }` (or `{}`: the active staff member): ends that staff member's
 * shift, their token revoked at Mindbody; never anyone else's. Anyone at the desk may end a shift:
 * it only takes access away.
 */
export async function endShiftRoute(context: ProxyContext, call: ProxyCall) {
  const desks = context.desks!
  const { id, record } = call.desk!
  const body = await deskBody(call.request, desks.settings.pinLength)
  if (body instanceof Response) return body
  const target = entryOf(record, body.userId === undefined ? { sid: record.active } : { userId: body.userId })
  if (!target) return notAtDesk('staff member')
  const changed = await desks.change(id, (kept) => {
    const entry = entryOf(kept, { sid: target.sid })
    if (entry) remove(kept, entry)
  })
  const sealed = await desks.sessionOf(target, id)
  await desks.end(target, id)
  const outcome = { type: 'desk-shift-ended' as const, session: sealed ? factsOf(sealed) : undefined }
  return noted(await deskAnswer(context, call, changed?.record), outcome)
}
