export { createMockMindbody, demoStaff } from './createMockMindbody'
export type {
  MockEndpoint,
  MockFailure,
  MockMindbody,
  MockMindbodyOptions,
  MockStaffUser,
} from './createMockMindbody'
