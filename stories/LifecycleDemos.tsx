import { QueryClient, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import {
  MindbodyProvider,
  useMindbodyClient,
  UserTokenGate,
  type MindbodyProviderProps,
  type SignOutReason,
} from '../src'
import { createSharedStorage } from '../src/testing'
import { StaffSignIn } from './StaffSignIn'

/** A portal that can be "reloaded": the button remounts it with a fresh QueryClient, as a reload would. */
export function ReloadablePortal(props: Omit<MindbodyProviderProps, 'queryClient'>) {
  const [load, setLoad] = useState(1)
  const [queryClient, setQueryClient] = useState(() => new QueryClient())
  return (
    <div className="mb-stack">
      <MindbodyProvider key={load} queryClient={queryClient} {...props}>
        <UserTokenGate fallback={<StaffSignIn />} restoring={<p role="status">Restoring your session…</p>}>
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

function Tab({ name, ...props }: MindbodyProviderProps & { name: string }) {
  const [signOuts, setSignOuts] = useState<SignOutReason[]>([])
  return (
    <div className="mb-stack">
      <MindbodyProvider {...props} onSignOut={(reason) => setSignOuts((all) => [...all, reason])}>
        <StaffSignIn title={name} />
      </MindbodyProvider>
      <p>
        onSignOut calls in {name}:{' '}
        <output aria-label={`${name} sign-outs`}>{signOuts.join(', ') || 'none'}</output>
      </p>
    </div>
  )
}

/** Two tabs of one portal: separate QueryClients, one storage, kept in step. */
export function TwoTabs() {
  const [tabs] = useState(() => {
    const shared = createSharedStorage()
    return ['Tab A', 'Tab B'].map((name) => ({ name, storage: shared.tab(), queryClient: new QueryClient() }))
  })
  return (
    <div className="mb-two-sites">
      {tabs.map((tab) => (
        <Tab key={tab.name} siteId={-99} {...tab} />
      ))}
    </div>
  )
}

interface StaffList {
  StaffMembers: Array<{ Id: number; FirstName: string; LastName: string }>
}

/** Calls another Mindbody endpoint with the signed-in token, through `useMindbodyClient`. */
export function StaffDirectory() {
  const client = useMindbodyClient()
  const staff = useQuery({
    queryKey: ['demo', 'staff'],
    queryFn: () => client.get<StaffList>('/staff/staff').then((r) => r.data),
    enabled: false,
    retry: false,
  })
  return (
    <div className="mb-stack">
      <StaffSignIn />
      <UserTokenGate>
        <button type="button" className="mb-plain" onClick={() => void staff.refetch()}>
          Load the staff list
        </button>
        {staff.data && (
          <ul aria-label="Staff">
            {staff.data.StaffMembers.map((s) => (
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
