import { createRoot } from 'react-dom/client'
import { setupWorker } from 'msw/browser'
import { createMockMindbody } from 'react-mindbody-user-token/testing'
import { App } from './App'

await setupWorker(...createMockMindbody().handlers).start({ onUnhandledRequest: 'error', quiet: true })
createRoot(document.getElementById('root')!).render(<App />)
