import type { SealedToken } from '../cookie/sessionSealer'
import { factsOf, noted } from '../observe/outcome'
import type { ProxyContext } from '../proxyContext'
import { limitHit } from '../routes/signInLimit'
import type { DeskCall } from './createDesks'
import { notAtDesk, pinNotSet, wrongPin } from './deskAnswers'
import { entryOf, remove, type DeskStaff } from './deskRecord'
import { pinMatches } from './pinHash'

/**
 * Takes one of `entry`'s attempts, in one change of the desk, before its PIN is checked: guesses sent
 * all at once are never checked more often than `pinAttempts`. One past them ends the sign-in.
 * Answers whether the PIN may be checked (`'taken'`), or the entry has left (`'gone'`) or now ended.
 */
async function takeAttempt(context: ProxyContext, desk: DeskCall, entry: DeskStaff) {
  const desks = context.desks!
  const changed = await desks.change(desk.id, (record) => {
    const kept = entryOf(record, { sid: entry.sid })
    if (!kept) return 'gone' as const
    if (kept.tries >= desks.settings.pinAttempts) return (remove(record, kept), 'ended' as const)
    kept.tries++
    return 'taken' as const
  })
  return changed?.result ?? 'gone'
}

/** After a right PIN: `entry`'s attempts given back, if it is still at the desk. */
async function giveBack(context: ProxyContext, desk: DeskCall, entry: DeskStaff) {
  const changed = await context.desks!.change(desk.id, (record) => {
    const kept = entryOf(record, { sid: entry.sid })
    if (kept) kept.tries = 0
    return !!kept
  })
  return !!changed?.result
}

/**
 * Whether staff member `userId` of `desk` knows `pin`: their entry and session when they do; else the
 * refusal. Each PIN checked takes one of their entry's attempts first (`pinAttempts`); a wrong one
 * counts against their username's sign-in limit too; past either, their parked sign-in ends, its
 * token revoked, and their password is needed again. A right one gives the entry's attempts back.
 */
export async function provePin(
  context: ProxyContext,
  desk: DeskCall,
  userId: number | null | undefined,
  pin: string,
): Promise<{ entry: DeskStaff; sealed: SealedToken } | Response> {
  const desks = context.desks!
  const entry = entryOf(desk.record, { userId })
  const sealed = entry && (await desks.sessionOf(entry, desk.id))
  if (!entry || !sealed) return notAtDesk('staff member')
  if (!entry.pin) return pinNotSet()
  const taken = await takeAttempt(context, desk, entry)
  if (taken === 'gone') return notAtDesk('staff member')
  if (taken === 'taken' && (await pinMatches(pin, entry.pin)))
    return (await giveBack(context, desk, entry)) ? { entry, sealed } : notAtDesk('staff member')
  // A wrong PIN counts against the username as a wrong password does; a store that cannot count
  // fails closed: the parked sign-in ends.
  const over = taken !== 'taken' || !!(await limitHit(context, entry.limitKey))
  const changed = await desks.change(desk.id, (record) => {
    const kept = entryOf(record, { sid: entry.sid })
    if (!kept) return 0
    const left = over ? 0 : Math.max(0, desks.settings.pinAttempts - kept.tries)
    if (!left) remove(record, kept)
    return left
  })
  const left = changed?.result ?? 0
  if (!left) await desks.end(entry, desk.id)
  return noted(wrongPin(left), { type: 'desk-pin-wrong', session: factsOf(sealed), ended: !left })
}
