import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { MindbodyProvider } from '../../../src'
import { Portal } from '../../next/app/components/Portal'

/** The Next test app's portal, in server mode, for the Chromium test: sign in, load staff, sign out. */
const queryClient = new QueryClient()
// The test reads the React Query cache through this, to prove no token is in it.
;(window as unknown as { queryClient: QueryClient }).queryClient = queryClient

// The tests choose how often the page revalidates: ?revalidateMs=1000, or off (focus and online only).
const asked = new URLSearchParams(location.search).get('revalidateMs')
const revalidateMs = asked === null ? undefined : asked === 'off' ? false : Number(asked)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <MindbodyProvider
        siteId={-99}
        baseURL="/mindbody"
        session="server"
        queryClient={queryClient}
        revalidateMs={revalidateMs}
      >
        <Portal />
      </MindbodyProvider>
    </QueryClientProvider>
  </StrictMode>,
)
