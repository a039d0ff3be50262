import { useId, useState, type FormEvent } from 'react'
import {
  isMindbodyError,
  useApproval,
  useDesk,
  useIssueToken,
  useMindbodyClient,
  useUserToken,
  type DeskStaff,
} from '../src'
import './StaffSignIn.css'

/** What to tell the person at the lock screen or the approval about a failed PIN. */
function pinProblem(error: unknown): string {
  if (!isMindbodyError(error)) return 'Something went wrong. Try again.'
  const left = (error.details as { Error?: { AttemptsLeft?: number } } | undefined)?.Error?.AttemptsLeft
  if (error.code === 'WrongPin')
    return left
      ? `Wrong PIN: ${left} ${left === 1 ? 'try' : 'tries'} left.`
      : 'Too many wrong PINs: sign in again with your password.'
  if (error.code === 'PinNotSet') return 'No PIN is set for this staff member: sign in with the password.'
  if (error.code === 'PermissionDenied') return 'This staff member may not approve this: choose a manager.'
  return error.message
}

/** Runs `work`, showing what went wrong in `setError`, and clearing it first. */
const attempt = (
  setError: (message: string | null) => void,
  work: () => Promise<unknown>,
  describe = pinProblem,
) => {
  setError(null)
  work().catch((error: unknown) => setError(describe(error)))
}

/** A PIN field: digits only, hidden, with the desk's length. */
function PinField({
  label,
  value,
  onChange,
  length,
}: {
  label: string
  value: string
  onChange: (pin: string) => void
  length?: number
}) {
  const id = useId()
  return (
    <div className="mb-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        pattern="[0-9]*"
        maxLength={length}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
      />
    </div>
  )
}

/** Names as radio buttons: arrow keys move between them, as a lock screen's "pick your name". */
function StaffChoice({
  legend,
  staff,
  chosen,
  onChoose,
}: {
  legend: string
  staff: DeskStaff[]
  chosen: number | null
  onChoose: (userId: number | null) => void
}) {
  const name = useId()
  return (
    <fieldset className="mb-field">
      <legend>{legend}</legend>
      {staff.map((member) => (
        <label key={`${member.userId}`} className="mb-choice">
          <input
            type="radio"
            name={name}
            checked={chosen === member.userId}
            onChange={() => onChoose(member.userId)}
            autoFocus={chosen === member.userId}
          />
          {member.name}
          {!member.hasPin && ' (no PIN yet)'}
        </label>
      ))}
    </fieldset>
  )
}

/** The lock screen: pick your name, type your PIN, press Enter. */
function LockScreen({ onAdd }: { onAdd: () => void }) {
  const { staff, unlock, pinLength } = useDesk()
  const [chosen, setChosen] = useState<number | null>(staff[0]?.userId ?? null)
  const [pin, setPin] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    attempt(setError, () => unlock({ userId: chosen, pin }).finally(() => setPin('')))
  }
  return (
    <form className="mb-sign-in" aria-labelledby="locked-title" onSubmit={submit}>
      <h2 id="locked-title">The desk is locked</h2>
      <StaffChoice legend="Who are you?" staff={staff} chosen={chosen} onChoose={setChosen} />
      <PinField label="PIN" value={pin} onChange={setPin} length={pinLength} />
      {error && <p role="alert">{error}</p>}
      <div className="mb-actions">
        <button type="submit">Unlock</button>
        <button type="button" className="mb-plain" onClick={onAdd}>
          Sign in someone else
        </button>
      </div>
    </form>
  )
}

/** A staff member signs in with their password, once per shift. */
function ShiftSignIn({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const signIn = useIssueToken()
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    signIn.mutate(
      { Username: String(form.get('username')), Password: String(form.get('password')) },
      { onSuccess: onDone },
    )
  }
  return (
    <form className="mb-sign-in" aria-labelledby="shift-title" onSubmit={submit}>
      <h2 id="shift-title">Start your shift</h2>
      <p>demo.staff (front desk) or demo.manager (refunds), password demo-password</p>
      <div className="mb-field">
        <label htmlFor="shift-username">Username</label>
        <input id="shift-username" name="username" autoComplete="username" />
      </div>
      <div className="mb-field">
        <label htmlFor="shift-password">Password</label>
        <input id="shift-password" name="password" type="password" autoComplete="current-password" />
      </div>
      {signIn.error && <p role="alert">{signIn.error.message}</p>}
      <div className="mb-actions">
        <button type="submit" disabled={signIn.isPending}>
          Sign in
        </button>
        {onCancel && (
          <button type="button" className="mb-plain" onClick={onCancel}>
            Back
          </button>
        )}
      </div>
    </form>
  )
}

/** Asked once after sign-in: the PIN that unlocks the desk from then on. */
function PinSetup() {
  const { setPin, pinLength } = useDesk()
  const [pin, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    attempt(setError, () => setPin(pin))
  }
  return (
    <form aria-labelledby="pin-title" onSubmit={submit}>
      <h3 id="pin-title">Set your desk PIN</h3>
      <PinField
        label={`New PIN (${pinLength ?? 4} digits)`}
        value={pin}
        onChange={setValue}
        length={pinLength}
      />
      {error && <p role="alert">{error}</p>}
      <button type="submit">Save PIN</button>
    </form>
  )
}

/** A held call's approval: a manager picks their name, types their PIN and a reason. */
function ApprovalDialog() {
  const { pending, approve, cancel } = useApproval()
  const { staff } = useDesk()
  const [chosen, setChosen] = useState<number | null>(null)
  const [pin, setPin] = useState('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  if (!pending) return null
  const submit = (event: FormEvent) => {
    event.preventDefault()
    attempt(setError, () => approve({ userId: chosen, pin, reason }).finally(() => setPin('')))
  }
  return (
    <form role="dialog" aria-labelledby="approval-title" className="mb-panel" onSubmit={submit}>
      <h3 id="approval-title">Manager approval</h3>
      <p>This refund needs {pending.permissions.join(', ') || 'an approval'}.</p>
      <StaffChoice
        legend="Approved by"
        staff={staff.filter((s) => s.hasPin)}
        chosen={chosen}
        onChoose={setChosen}
      />
      <PinField label="Their PIN" value={pin} onChange={setPin} />
      <div className="mb-field">
        <label htmlFor="approval-reason">Reason</label>
        <input id="approval-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      {error && <p role="alert">{error}</p>}
      <div className="mb-actions">
        <button type="submit">Approve</button>
        <button type="button" className="mb-plain" onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
    </form>
  )
}

/** A refund: the proxy holds it until a manager approves it, then sends it. */
function Refund() {
  const client = useMindbodyClient()
  const [done, setDone] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const refund = () => {
    setDone(null)
    attempt(
      setError,
      async () => {
        const { data } = await client.post('/sale/returnsale', { SaleId: 1042 })
        setDone(`Refunded: return ${data.ReturnSaleID}, ${data.Amount} USD.`)
      },
      (failure) => (isMindbodyError(failure) ? failure.message : 'The refund failed.'),
    )
  }
  return (
    <section aria-labelledby="refund-title" className="mb-panel">
      <h3 id="refund-title">Sale #1042</h3>
      <button type="button" onClick={refund}>
        Refund sale #1042
      </button>
      {done && <p role="status">{done}</p>}
      {error && <p role="alert">{error}</p>}
      <ApprovalDialog />
    </section>
  )
}

/** The active staff member's screen: their name, their PIN, lock, hand over, end the shift, a refund. */
function Shift({ onAdd }: { onAdd: () => void }) {
  const { active, staff, lock, endShift } = useDesk()
  const parked = staff.filter((s) => !s.isActive)
  return (
    <section className="mb-sign-in" aria-labelledby="active-title">
      <h2 id="active-title">Signed in as {active?.name ?? '…'}</h2>
      {parked.length > 0 && <p>Also at this desk: {parked.map((s) => s.name).join(', ')}</p>}
      {active && !active.hasPin && <PinSetup />}
      <div className="mb-actions">
        <button type="button" onClick={() => void lock()}>
          Lock the screen
        </button>
        <button type="button" className="mb-plain" onClick={onAdd}>
          Add a staff member
        </button>
        <button type="button" className="mb-plain" onClick={() => void endShift()}>
          End my shift
        </button>
      </div>
      <Refund />
    </section>
  )
}

/**
 * A shared front desk in server mode: staff sign in once per shift, lock the screen, switch with their
 * PIN, and a refund waits for a manager's approval on the spot.
 */
export function FrontDeskShift() {
  const { isAuthenticated, isRestoring } = useUserToken()
  const desk = useDesk()
  const [adding, setAdding] = useState(false)
  if (isRestoring || desk.isPending) return <p role="status">Opening the desk…</p>
  if (adding || (!isAuthenticated && !desk.isLocked))
    return (
      <ShiftSignIn
        onDone={() => setAdding(false)}
        onCancel={desk.staff.length ? () => setAdding(false) : undefined}
      />
    )
  if (desk.isLocked) return <LockScreen onAdd={() => setAdding(true)} />
  return <Shift onAdd={() => setAdding(true)} />
}
