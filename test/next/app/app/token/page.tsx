import { UserTokenGate } from 'react-mindbody-user-token'
import { SignedIn, SignIn } from '../../components/Portal'

/** A server component rendering the gate, with client components as its children and fallback. */
export default function TokenMode() {
  return (
    <>
      <h1>Staff portal, token mode</h1>
      <UserTokenGate fallback={<SignIn />} restoring={<p role="status">Restoring your session…</p>}>
        <SignedIn />
      </UserTokenGate>
    </>
  )
}
