export { createMockMindbody, demoStaff } from './createMockMindbody'
export { createSharedStorage } from './createSharedStorage'
export type {
  MockEndpoint,
  MockFailure,
  MockMindbody,
  MockMindbodyOptions,
  MockStaffUser,
} from './createMockMindbody'
export type { SharedStorage } from './createSharedStorage'
