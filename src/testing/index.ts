export { createMockMindbody } from './createMockMindbody'
export { demoStaff } from './mockOptions'
export { createSharedStorage } from './createSharedStorage'
export { serveMockMindbody } from './serveMockMindbody'
export type { MockMindbody } from './createMockMindbody'
export type {
  MockEndpoint,
  MockFailure,
  MockMindbodyOptions,
  MockRenewAnswer,
  MockStaffUser,
} from './mockOptions'
export type { SharedStorage } from './createSharedStorage'
export type { MockMindbodyServer, ServeMockMindbodyOptions } from './serveMockMindbody'
