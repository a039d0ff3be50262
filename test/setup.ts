import { cleanup } from '@testing-library/react'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { server } from './server'

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  cleanup()
  server.resetHandlers()
  server.events.removeAllListeners()
  if (typeof window !== 'undefined') {
    localStorage.clear()
    sessionStorage.clear()
  }
  // Each test is a new page: its providers' page-wide sessions start empty, as after a reload.
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('react-mindbody-user-token/page@1')]
})
afterAll(() => server.close())
