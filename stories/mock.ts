import { createMockMindbody, demoStaff, type MockMindbodyOptions } from '../src/testing'

/** The demo accounts shown on the forms: a staff member, and an owner (user ID 0). */
export const [staff, owner] = demoStaff as [(typeof demoStaff)[0], (typeof demoStaff)[0]]

/** The embedded backend of a story: a fresh stateful mock Mindbody. */
export const mock = (options?: MockMindbodyOptions) => ({
  msw: { handlers: createMockMindbody(options).handlers },
})
