import { setupServer } from 'msw/node'
import { createMockMindbody, type MockMindbodyOptions } from '../src/testing'

export const server = setupServer()

export const API = 'https://api.mindbodyonline.com/public/v6/usertoken'
export const STAFF = { Username: 'demo.staff', Password: 'demo-password' }

/** Serves a fresh mock Mindbody behind MSW; returns it and every request that reached the network. */
export function serveMockMindbody(options?: MockMindbodyOptions) {
  const mindbody = createMockMindbody(options)
  const requests: Request[] = []
  server.use(...mindbody.handlers)
  server.events.on('request:start', ({ request }) => void requests.push(request.clone()))
  return { mindbody, requests }
}
