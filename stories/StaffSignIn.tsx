import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import {
  useIssueToken,
  useRenewToken,
  useRevokeToken,
  useUserToken,
  type SignOutReason,
  type IssueRequest,
  type MindbodyError,
  type MindbodyErrorKind,
  type MindbodyProblem,
} from '../src'
import { SessionCountdown } from './SessionCountdown'
import './StaffSignIn.css'

/** Props of the example staff sign-in widget. */
export interface StaffSignInProps {
  /** The widget's heading, e.g. the site's name. */
  title?: string
  /** An account to show above the form, for demos. */
  hint?: IssueRequest
  /** A second demo account, such as an owner, to show beside the first. */
  otherHint?: IssueRequest
  /** What to say when something other than Mindbody answers, e.g. no proxy behind the base URL. */
  notMindbody?: string
}

const friendly: Partial<Record<MindbodyErrorKind, string>> = {
  network: 'Mindbody could not be reached. Check your connection and try again.',
  timeout: 'Mindbody took too long to answer. Try again.',
  'invalid-response': 'Mindbody sent an answer this page cannot read. Try again later.',
}
/** What the person at the form can do about each problem `MindbodyError.problem` names. */
const advice: Record<MindbodyProblem, string> = {
  'wrong-credentials': 'The username or password is not right. Check them and try again.',
  'api-key': `This app is not set up to reach Mindbody: its API key is missing or refused. Tell your administrator.`,
  'site-not-activated':
    'This site has not activated this app yet: ask the owner to open the activation link, then try again.',
  'permission-denied': 'Your Mindbody permission group does not allow this. Ask a manager.',
  'staff-inactive': 'Your staff account is inactive at this business. Ask a manager to reactivate it.',
  'rate-limited': 'Too many attempts. Wait a moment, then try again.',
}

/** What to tell the person at the form: the advice for a known problem, else Mindbody's own sentence. */
const describe = (error: MindbodyError, notMindbody?: string) => {
  if (error.problem) return advice[error.problem]
  // Mindbody's errors carry a code; an answer without one came from something else on the way.
  if (error.kind === 'http' && !error.code)
    return (
      notMindbody ??
      `Something other than Mindbody answered (status ${error.status}). Check the app's base URL.`
    )
  return friendly[error.kind] ?? error.message
}

const farewell: Record<SignOutReason, string> = {
  revoked: 'You signed out.',
  expired: 'Your session expired. Sign in again to continue.',
  unauthorized: 'Mindbody no longer accepts this session. Sign in again.',
  'renew-failed': 'Your session could not be renewed. Sign in again.',
  'other-tab': 'You signed out in another tab.',
  idle: 'You were signed out after a time with no activity.',
  absolute: 'Your session reached its time limit. Sign in again.',
  locked: 'The desk is locked. Unlock it with your PIN.',
}

function ErrorMessage({
  error,
  focus,
  notMindbody,
}: {
  error: MindbodyError
  focus?: boolean
  notMindbody?: string
}) {
  const ref = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    if (focus) ref.current?.focus()
  }, [error, focus])
  return (
    <p className="mb-error" role="alert" tabIndex={-1} ref={ref}>
      {describe(error, notMindbody)}
      {error.code && <code> {error.code}</code>}
    </p>
  )
}

const Account = ({ account }: { account: IssueRequest }) => (
  <span className="mb-account">
    <code>{account.Username}</code> / <code>{account.Password}</code>
  </span>
)

/**
 * The widget a person last pressed a key or a pointer in. Only it moves focus, so that several widgets
 * on one page, which sign in and out together, never pull focus away from the one in use.
 */
let lastUsed: object | undefined
const mayFocus = (widget: object) => lastUsed === undefined || lastUsed === widget

function SignInForm({ title, hint, otherHint, notMindbody, widget }: StaffSignInProps & { widget: object }) {
  const signIn = useIssueToken()
  const { signOutReason } = useUserToken()
  const id = useId()
  const [missing, setMissing] = useState<string | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  // After a sign-out or an expiry, focus lands on the form's heading, where the notice is read next.
  useEffect(() => {
    if (signOutReason && mayFocus(widget)) heading.current?.focus()
  }, [signOutReason, widget])
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const Username = String(data.get('username') ?? '').trim()
    const Password = String(data.get('password') ?? '')
    signIn.reset()
    setMissing(!Username ? 'Enter your username.' : !Password ? 'Enter your password.' : null)
    if (!Username || !Password) return
    signIn.mutate({ Username, Password })
    event.currentTarget.password.value = ''
  }
  return (
    <form className="mb-form" onSubmit={onSubmit} noValidate>
      <h2 tabIndex={-1} ref={heading}>
        {title}
      </h2>
      {/* The farewell stays until the next attempt, whose own outcome then speaks. */}
      <div role="status">
        {signOutReason && signIn.isIdle && !missing && <p className="mb-notice">{farewell[signOutReason]}</p>}
      </div>
      {hint && (
        <p className="mb-hint">
          Demo account: <Account account={hint} />
          {otherHint && (
            <>
              , or the owner <Account account={otherHint} />
            </>
          )}
        </p>
      )}
      <p className="mb-required">Both fields are required.</p>
      <label htmlFor={`${id}-username`}>Username</label>
      <input id={`${id}-username`} name="username" autoComplete="username" aria-required="true" />
      <label htmlFor={`${id}-password`}>Password</label>
      <input
        id={`${id}-password`}
        name="password"
        type="password"
        autoComplete="current-password"
        aria-required="true"
      />
      <div className="mb-actions">
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        {signIn.isPending && <span className="mb-spinner" role="progressbar" aria-label="Signing in" />}
      </div>
      {missing && (
        <p className="mb-error" role="alert">
          {missing}
        </p>
      )}
      {signIn.error && <ErrorMessage error={signIn.error} focus notMindbody={notMindbody} />}
    </form>
  )
}

function SignedInCard({
  onSignOut,
  pending,
  widget,
}: {
  onSignOut: () => void
  pending: boolean
  widget: object
}) {
  const { user, expiresAt } = useUserToken()
  const renew = useRenewToken()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => void (mayFocus(widget) && heading.current?.focus()), [widget])
  const name = [user?.FirstName, user?.LastName].filter(Boolean).join(' ')
  return (
    <div className="mb-card">
      <h2 tabIndex={-1} ref={heading}>
        Signed in as {name || 'a staff member'}
      </h2>
      <dl>
        <dt>User type</dt>
        <dd>{user?.Type ?? 'Unknown'}</dd>
        <dt>User ID</dt>
        <dd>{user?.Id === 0 ? '0 (owners and admins always have 0)' : (user?.Id ?? 'Unknown')}</dd>
        <dt>Session</dt>
        <dd>{expiresAt ? <SessionCountdown /> : 'No expiry given'}</dd>
      </dl>
      <div className="mb-actions">
        <button type="button" onClick={onSignOut} disabled={pending}>
          Sign out
        </button>
        <button
          type="button"
          className="mb-secondary"
          onClick={() => renew.mutate()}
          disabled={renew.isPending}
        >
          Stay signed in
        </button>
      </div>
      {renew.error && <ErrorMessage error={renew.error} />}
    </div>
  )
}

/**
 * A complete staff sign-in widget: a form while signed out, a card with the staff member's name,
 * user type and a live session countdown while signed in. Copy it into your portal and restyle it.
 */
export function StaffSignIn({ title = 'Staff sign-in', hint, otherHint, notMindbody }: StaffSignInProps) {
  const { isAuthenticated } = useUserToken()
  const signOut = useRevokeToken()
  const [widget] = useState(() => ({}))
  const used = () => void (lastUsed = widget)
  // A group, not a landmark: the host page owns its landmarks, and may hold several widgets.
  return (
    <div
      className="mb-widget"
      role="group"
      aria-label={title}
      onPointerDownCapture={used}
      onKeyDownCapture={used}
    >
      {isAuthenticated ? (
        <SignedInCard onSignOut={() => signOut.mutate()} pending={signOut.isPending} widget={widget} />
      ) : (
        <SignInForm
          title={title}
          hint={hint}
          otherHint={otherHint}
          notMindbody={notMindbody}
          widget={widget}
        />
      )}
      {signOut.error && <ErrorMessage error={signOut.error} />}
    </div>
  )
}
