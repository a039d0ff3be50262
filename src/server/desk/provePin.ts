import type { SealedToken } from '../cookie/sessionSealer'
import { deadline } from '../deadline'
import { factsOf, noted } from '../observe/outcome'
import type { ProxyContext } from '../proxyContext'
import type { DeskCall } from './createDesks'
import { notAtDesk, pinNotSet, wrongPin } from './deskAnswers'
import { entryOf, remove, type DeskStaff } from './deskRecord'
import { pinMatches } from './pinHash'

/** Counts a wrong PIN against `entry`'s username, as a wrong password counts: how many in the window, or Infinity when the store cannot say. */
async function counted({ limits, signInLimit, storeTimeoutMs }: ProxyContext, entry: DeskStaff) {
  try {
    return await deadline(
      limits.hit(entry.limitKey, signInLimit.windowMs),
      storeTimeoutMs,
      new Error('stalled'),
    )
  } catch {
    // A store that cannot count fails closed: the parked sign-in ends.
    return Infinity
  }
}

/**
 * Whether staff member `userId` of `desk` knows `pin`: their entry and session when they do; else the
 * refusal. A wrong PIN counts against their entry (`pinAttempts`) and their username's sign-in limit;
 * past either, their parked sign-in ends, its token revoked, and their password is needed again.
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
  if (await pinMatches(pin, entry.pin)) return { entry, sealed }
  const count = await counted(context, entry)
  const changed = await desks.change(desk.id, (record) => {
    const kept = entryOf(record, { sid: entry.sid })
    if (!kept) return 0
    kept.tries++
    const left = count > context.signInLimit.max ? 0 : Math.max(0, desks.settings.pinAttempts - kept.tries)
    if (!left) remove(record, kept)
    return left
  })
  const left = changed?.result ?? 0
  if (!left) await desks.end(entry, desk.id)
  return noted(wrongPin(left), { type: 'desk-pin-wrong', session: factsOf(sealed), ended: !left })
}
