import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import {
  MindbodyProvider,
  useMindbodyClient,
  useMindbodyConfig,
  UserTokenGate,
  userTokenKeys,
  type IssueResponse,
  type MindbodyProviderProps,
  type SignOutReason,
} from '../src'
import { staff } from './mock'
import { StaffSignIn } from './StaffSignIn'
import { localTime } from './time'

/** A portal that can be "reloaded": the button remounts it with a fresh QueryClient, as a reload would. */
export function ReloadablePortal(props: Omit<MindbodyProviderProps, 'queryClient'>) {
  const [load, setLoad] = useState(1)
  const [queryClient, setQueryClient] = useState(() => new QueryClient())
  return (
    <div className="mb-stack">
      <MindbodyProvider key={load} {...({ ...props, queryClient } as MindbodyProviderProps)}>
        <UserTokenGate
          fallback={<StaffSignIn hint={staff} />}
          restoring={<p role="status">Restoring your session…</p>}
        >
          <StaffSignIn title="Welcome back" />
        </UserTokenGate>
      </MindbodyProvider>
      <button
        type="button"
        className="mb-plain"
        onClick={() => {
          setQueryClient(new QueryClient())
          setLoad(load + 1)
        }}
      >
        Reload the page (load {load})
      </button>
    </div>
  )
}

/** One tab of the portal, with its sign-outs listed: the page each iframe of Two Tabs In Sync shows. */
export function Tab({ name = 'A tab', ...props }: MindbodyProviderProps & { name?: string }) {
  const [signOuts, setSignOuts] = useState<SignOutReason[]>([])
  // Each tab is a whole document, so it has its own main landmark and top-level heading.
  return (
    <main className="mb-stack" aria-label={name}>
      <h1 className="mb-tab-title">{name} of the staff portal</h1>
      <MindbodyProvider {...props} onSignOut={(reason) => setSignOuts((all) => [...all, reason])}>
        <StaffSignIn title={`${name}: staff sign-in`} hint={staff} />
      </MindbodyProvider>
      <p>
        onSignOut calls: <output aria-label="sign-outs">{signOuts.join(', ') || 'none'}</output>
      </p>
    </main>
  )
}

/** Two real documents of one page, side by side: two iframes that share this origin's localStorage. */
export function TwoTabs({ src }: { src: string }) {
  return (
    <div className="mb-two-sites">
      {['Tab A', 'Tab B'].map((name) => (
        <figure key={name} className="mb-tab">
          <figcaption>{name}</figcaption>
          <iframe title={name} src={`${src}&args=title:${name.replace(' ', '+')}`} />
        </figure>
      ))}
    </div>
  )
}

/**
 * Says when the token was renewed, and how its expiry moved: auto-renew made visible. It watches the
 * token in the QueryClient itself, so a renewal is seen even when it lands in the same render as the
 * sign-in before it.
 */
export function RenewalLog() {
  const queryClient = useQueryClient()
  const config = useMindbodyConfig()
  const [renewals, setRenewals] = useState<Array<{ at: Date; from: Date; to: Date }>>([])
  useEffect(() => {
    const key = userTokenKeys.token(config)
    const expiry = () => expiresAtOf(queryClient.getQueryData<IssueResponse | null>(key))
    let last = expiry()
    return queryClient.getQueryCache().subscribe(() => {
      const next = expiry()
      if (last && next && next > last) {
        const from = new Date(last)
        setRenewals((all) => [...all, { at: new Date(), from, to: new Date(next) }])
      }
      last = next
    })
  }, [queryClient, config])
  return (
    <div role="status" className="mb-log">
      {renewals.length === 0
        ? 'No renewal yet: it comes 2 s before the session would end.'
        : renewals.map((r, i) => (
            <p key={i}>
              Renewed at {localTime(r.at)}: expiry moved from {localTime(r.from)} to {localTime(r.to)}.
            </p>
          ))}
    </div>
  )
}

const expiresAtOf = (token: IssueResponse | null | undefined) =>
  token?.Expires ? Date.parse(token.Expires) : null

interface StaffList {
  StaffMembers: Array<{ Id: number; FirstName: string; LastName: string }>
}

/** Calls another Mindbody endpoint with the signed-in token, through `useMindbodyClient`. */
export function StaffDirectory({ revokeOnServer }: { revokeOnServer: () => void }) {
  const client = useMindbodyClient()
  const staffList = useQuery({
    queryKey: ['demo', 'staff'],
    queryFn: () => client.get<StaffList>('/staff/staff').then((r) => r.data),
    enabled: false,
    retry: false,
  })
  return (
    <div className="mb-stack">
      <StaffSignIn hint={staff} />
      <UserTokenGate>
        <div className="mb-actions">
          <button type="button" className="mb-plain" onClick={() => void staffList.refetch()}>
            Load the staff list
          </button>
          <button type="button" className="mb-plain" onClick={revokeOnServer}>
            Revoke on the server
          </button>
        </div>
        {staffList.data && (
          <ul aria-label="Staff">
            {staffList.data.StaffMembers.map((s) => (
              <li key={s.Id}>
                {s.FirstName} {s.LastName}
              </li>
            ))}
          </ul>
        )}
      </UserTokenGate>
    </div>
  )
}
