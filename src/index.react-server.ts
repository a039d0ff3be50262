/**
 * What `react-mindbody-user-token` gives React Server Components and route handlers (the
 * `react-server` export condition): the React-free part, and `MindbodyProvider` and `UserTokenGate` as
 * client references, so a server component can render them with plain props. The hooks are client
 * code; importing one here fails the build with "Export … doesn't exist", rather than answering 500
 * at request time.
 */
export { createUserTokenApi, isMindbodyError, MindbodyError } from './core'
export { userTokenKeys } from './query/userTokenKeys'
export type {
  ActivationCodeResponse,
  IssueRequest,
  IssueResponse,
  MindbodyAnswer,
  MindbodyApi,
  MindbodyCall,
  MindbodyCallArgs,
  MindbodyCallOptions,
  MindbodyConfig,
  MindbodyConfigBase,
  MindbodyErrorKind,
  MindbodyMethod,
  MindbodyPath,
  MindbodyPaths,
  MindbodySchemas,
  MindbodyProblem,
  RequestOptions,
  ResolvedMindbodyConfig,
  ServerModeConfig,
  StaffPermission,
  StaffPermissionGroup,
  StaffPermissionsResponse,
  TokenModeConfig,
  User,
  UserTokenApi,
  UserType,
} from './core'
export type { StaffPermissions } from './core/readStaffPermissions'
export { MindbodyProvider, UserTokenGate } from './index.client'
export type { MindbodyLifecycleProps, MindbodyProviderProps, UserTokenGateProps } from './index.client'
