export { createMockMindbody } from './createMockMindbody'
export { demoStaff } from './demoStaff'
export { createSharedStorage } from './createSharedStorage'
export { serveMockMindbody } from './serveMockMindbody'
export type { MockMindbody } from './createMockMindbody'
export type {
  MockEndpoint,
  MockFailure,
  MockMindbodyOptions,
  MockPermissionGroup,
  MockRenewAnswer,
  MockStaffUser,
} from './mockOptions'
export type { SharedStorage } from './createSharedStorage'
export type { MockMindbodyServer, ServeMockMindbodyOptions } from './serveMockMindbody'
