import { QueryClient } from '@tanstack/react-query'
import { StrictMode, useState, type FormEvent } from 'react'
import { createRoot } from 'react-dom/client'
import { MindbodyProvider, useIssueToken, useRevokeToken, UserTokenGate, useUserToken } from '../../../src'

/** A page of a portal in server mode, for the Chromium test: sign in, see who, sign out. */
const queryClient = new QueryClient()
// The test reads the React Query cache through this, to prove no token is in it.
;(window as unknown as { queryClient: QueryClient }).queryClient = queryClient

function SignIn() {
  const signIn = useIssueToken()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    signIn.mutate({ Username: username, Password: password })
  }
  return (
    <form onSubmit={onSubmit}>
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

function Portal() {
  const { user, accessToken } = useUserToken()
  const signOut = useRevokeToken()
  return (
    <main>
      <h1>
        Signed in as {user?.FirstName} {user?.LastName}
      </h1>
      <p>accessToken: {String(accessToken)}</p>
      <button onClick={() => signOut.mutate()}>Sign out</button>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MindbodyProvider siteId={-99} baseURL="/mindbody" session="server" queryClient={queryClient}>
      <UserTokenGate fallback={<SignIn />} restoring={<p>Restoring…</p>}>
        <Portal />
      </UserTokenGate>
    </MindbodyProvider>
  </StrictMode>,
)
