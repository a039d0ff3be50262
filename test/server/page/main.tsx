import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { MindbodyProvider, useMindbodyClient, UserTokenGate, type MindbodyError } from '../../../src'
import { Portal } from '../../next/app/components/Portal'

/**
 * The Next test app's portal, in server mode, for the Chromium test: sign in, load staff, sign out.
 * `?bare` renders the provider with no QueryClientProvider around it, as the quick start does, plus a
 * class list that Mindbody refuses, to show its own words.
 */
const queryClient = new QueryClient()
// The test reads the React Query cache through this, to prove no token is in it.
;(window as unknown as { queryClient: QueryClient }).queryClient = queryClient

// The tests choose how often the page revalidates: ?revalidateMs=1000, or off (focus and online only).
const query = new URLSearchParams(location.search)
const asked = query.get('revalidateMs')
const revalidateMs = asked === null ? undefined : asked === 'off' ? false : Number(asked)

/** A call Mindbody answers 400: the page shows Mindbody's message. */
function Classes() {
  const client = useMindbodyClient()
  const classes = useQuery<unknown, MindbodyError>({
    queryKey: ['classes'],
    queryFn: () => client.get('/class/classes?request.classIds=x').then((r) => r.data),
    retry: false,
  })
  return classes.error ? <p role="alert">Classes: {classes.error.message}</p> : null
}

const portal = <Portal />
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {query.has('bare') ? (
      <MindbodyProvider siteId={-99} baseURL="/mindbody" mode="server" revalidateMs={revalidateMs}>
        {portal}
        <UserTokenGate>
          <Classes />
        </UserTokenGate>
      </MindbodyProvider>
    ) : (
      <QueryClientProvider client={queryClient}>
        <MindbodyProvider
          siteId={-99}
          baseURL="/mindbody"
          mode="server"
          queryClient={queryClient}
          revalidateMs={revalidateMs}
        >
          {portal}
        </MindbodyProvider>
      </QueryClientProvider>
    )}
  </StrictMode>,
)
