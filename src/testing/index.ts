export { createMockMindbody, demoStaff } from './createMockMindbody'
export { createSharedStorage } from './createSharedStorage'
export type {
  MockEndpoint,
  MockFailure,
  MockMindbody,
  MockMindbodyOptions,
  MockRenewAnswer,
  MockStaffUser,
} from './createMockMindbody'
export type { SharedStorage } from './createSharedStorage'
