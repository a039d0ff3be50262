import { useState } from 'react'
import {
  useRevokeToken,
  UserTokenGate,
  useStaffPermissions,
  useStaffSessions,
  useUserToken,
  type User,
} from '../src'
import { owner, staff } from './mock'
import { SessionCountdown } from './SessionCountdown'
import { StaffSignIn } from './StaffSignIn'
import { localTime } from './time'
import { ClientSearch, Team, TodaysClasses } from './PortalReads'
import './StaffPortal.css'

/** What a script on this page can read; in server mode, no token anywhere. */
function WhatThePageSees() {
  // Read at each render, which follows every change of the token.
  const { accessToken } = useUserToken()
  const seen = {
    cookie: document.cookie,
    storage: [...Object.keys(localStorage), ...Object.keys(sessionStorage)].join(', '),
  }
  return (
    <section aria-labelledby="sees-title" className="mb-panel mb-sees">
      <h3 id="sees-title">What scripts on this page can read</h3>
      <dl>
        <dt>
          <code>useUserToken().accessToken</code>
        </dt>
        <dd>{accessToken === null ? 'null: the token stays on the server' : 'the token itself'}</dd>
        <dt>
          <code>document.cookie</code>
        </dt>
        <dd>{seen.cookie || 'nothing: the session cookie is HttpOnly'}</dd>
        <dt>Web Storage keys</dt>
        <dd>{seen.storage || 'none'}</dd>
      </dl>
    </section>
  )
}

/**
 * "Sign out my other devices", in server mode: the staff member's sessions, which the proxy keeps in
 * its session store, from `useStaffSessions`. `signInElsewhere` stands in for a second device, so the
 * demo has one to sign out.
 */
function YourDevices({ signInElsewhere }: { signInElsewhere: (user: User | null) => Promise<void> }) {
  const { user } = useUserToken()
  const { sessions, error, end, refetch } = useStaffSessions()
  const [failed, setFailed] = useState<string | null>(null)
  const others = sessions?.filter((s) => !s.current) ?? []
  const act = (step: () => Promise<unknown>) => () => {
    setFailed(null)
    step().catch((reason: Error) => setFailed(reason.message))
  }
  return (
    <section aria-labelledby="devices-title" className="mb-panel">
      <h3 id="devices-title">Your devices</h3>
      {error && <p role="alert">The list of devices could not be read: {error.message}</p>}
      {failed && <p role="alert">{failed}</p>}
      {sessions && (
        <ul aria-label="Signed-in devices">
          {sessions.map((s) => (
            <li key={s.id}>
              {s.current ? 'This browser' : 'Another device'}, signed in at{' '}
              <time dateTime={s.signedInAt.toISOString()}>{localTime(s.signedInAt)}</time>
            </li>
          ))}
        </ul>
      )}
      <div className="mb-actions">
        <button
          type="button"
          className="mb-plain"
          onClick={act(async () => {
            await signInElsewhere(user)
            await refetch()
          })}
        >
          Sign in on a second device
        </button>
        <button
          type="button"
          className="mb-plain"
          disabled={!others.length}
          onClick={act(async () => {
            for (const other of others) await end(other.id)
          })}
        >
          Sign out my other devices
        </button>
      </div>
    </section>
  )
}

/**
 * The sales desk: every staff member with `MakeSales` may sell; refunds need Mindbody's `RefundSales`
 * permission, which the front-desk group lacks. The gate only hides the button: the `/server` proxy's
 * `permissions` option is what refuses the call.
 */
function SalesDesk() {
  const { groupName, can } = useStaffPermissions()
  return (
    <section aria-labelledby="sales-title" className="mb-panel">
      <h3 id="sales-title">Sales</h3>
      <p>
        Permission group: <strong>{groupName ?? (can('RefundSales') ? 'every permission' : '…')}</strong>
      </p>
      <div className="mb-actions">
        <UserTokenGate permission="MakeSales">
          <button type="button" className="mb-plain">
            New sale
          </button>
        </UserTokenGate>
        <UserTokenGate
          permission="RefundSales"
          restoring={<span role="status">Checking permissions…</span>}
          denied={<p>Refunds need a manager: sign in as demo.manager to refund.</p>}
        >
          <button type="button" className="mb-plain">
            Refund a sale
          </button>
        </UserTokenGate>
      </div>
    </section>
  )
}

/** The portal's header: who is signed in, their user type, the session's countdown, sign-out. */
function PortalHeader() {
  const { user } = useUserToken()
  const signOut = useRevokeToken()
  const name = [user?.FirstName, user?.LastName].filter(Boolean).join(' ') || 'Staff member'
  return (
    <header className="mb-portal-header">
      <strong>Studio staff portal</strong>
      <span>
        {name} <span className="mb-badge">{user?.Type ?? 'Unknown type'}</span>
      </span>
      <SessionCountdown />
      <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        Sign out
      </button>
    </header>
  )
}

/** Props of the demo staff portal. */
export interface StaffPortalProps {
  /** Adds the panel that proves, in server mode, that no token is readable from the page. */
  showWhatThePageSees?: boolean
  /** Adds "Your devices" (server mode, a proxy with a session store); this signs in a second device. */
  signInElsewhere?: (user: User | null) => Promise<void>
}

/**
 * A small staff portal: a header with the user and the session, today's classes, the team and a
 * client search from Mindbody (the typed client, `useMindbodyApi`), the
 * sales desk that shows what the staff member's permission group allows, and an owner-only area that
 * `UserTokenGate` shows by `User.Type`.
 */
export function StaffPortal({ showWhatThePageSees = false, signInElsewhere }: StaffPortalProps) {
  return (
    <div className="mb-portal">
      <UserTokenGate
        restoring={<p role="status">Restoring your session…</p>}
        fallback={<StaffSignIn title="Studio staff portal" hint={staff} otherHint={owner} />}
      >
        <PortalHeader />
        <main className="mb-portal-main">
          <TodaysClasses />
          <Team />
          <ClientSearch />
          <SalesDesk />
          <section aria-labelledby="owner-title" className="mb-panel">
            <h3 id="owner-title">Owner area</h3>
            <UserTokenGate
              allow={(user) => user.Type === 'Owner'}
              denied={<p>Only owners see payroll. Sign in as demo.owner to see it.</p>}
            >
              <p>Payroll this week: 14 staff, 212 hours, ready for approval.</p>
            </UserTokenGate>
          </section>
          {showWhatThePageSees && <WhatThePageSees />}
          {signInElsewhere && <YourDevices signInElsewhere={signInElsewhere} />}
        </main>
      </UserTokenGate>
    </div>
  )
}
