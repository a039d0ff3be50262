import { setupServer } from 'msw/node'
import { createMockMindbody, type MockMindbodyOptions } from '../src/testing'

export const server = setupServer()

export const API = 'https://api.mindbodyonline.com/public/v6/usertoken'
export const STAFF = { Username: 'demo.staff', Password: 'demo-password' }

/** A fresh mock Mindbody behind MSW, and every request that reached the network. */
export function useMockMindbody(options?: MockMindbodyOptions) {
  const mindbody = createMockMindbody(options)
  const requests: Request[] = []
  server.use(...mindbody.handlers)
  server.events.on('request:start', ({ request }) => void requests.push(request.clone()))
  return { mindbody, requests }
}
