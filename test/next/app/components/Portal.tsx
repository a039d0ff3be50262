'use client'
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import {
  mindbodyQueryOptions,
  useIssueToken,
  useMindbodyApi,
  useRevokeToken,
  UserTokenGate,
  useUserToken,
} from 'react-mindbody-user-token'

/** The test app's portal, the same in both modes: sign in, load the staff list, sign out. */
export function Portal() {
  return (
    <UserTokenGate fallback={<SignIn />} restoring={<p role="status">Restoring your session…</p>}>
      <SignedIn />
    </UserTokenGate>
  )
}

export function SignIn() {
  const signIn = useIssueToken()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    signIn.mutate({ Username: username, Password: password })
  }
  return (
    <form onSubmit={submit}>
      <label>
        Username <input value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button>Sign in</button>
      {signIn.error && <p role="alert">{signIn.error.message}</p>}
    </form>
  )
}

export function SignedIn() {
  const { user, accessToken } = useUserToken()
  const signOut = useRevokeToken()
  // The typed client: the answer's type comes from Mindbody's description, with no cast.
  const api = useMindbodyApi()
  const staff = useQuery(mindbodyQueryOptions(api, '/staff/staff'))
  return (
    <main>
      <h2>
        Signed in as {user?.FirstName} {user?.LastName}
      </h2>
      <p>Token readable by this page: {accessToken ? 'yes' : 'no'}</p>
      <ul aria-label="Staff">
        {staff.data?.StaffMembers?.map((s) => (
          <li key={s.FirstName}>{s.FirstName}</li>
        ))}
      </ul>
      <button onClick={() => signOut.mutate()}>Sign out</button>
    </main>
  )
}
