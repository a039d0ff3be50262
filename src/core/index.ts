export { createUserTokenApi } from './createUserTokenApi'
export { MindbodyError, isMindbodyError } from './MindbodyError'
export { staffPermissionNames } from './staffPermissions'
export type { MindbodyErrorKind } from './MindbodyError'
export type { MindbodyPaths, MindbodySchemas } from './mindbodyPaths'
export type {
  MindbodyAnswer,
  MindbodyApi,
  MindbodyCall,
  MindbodyCallArgs,
  MindbodyCallOptions,
  MindbodyMethod,
  MindbodyPath,
} from './MindbodyApi'
export type { MindbodyProblem } from './problemOf'
export type { StaffPermission } from './staffPermissions'
export type {
  ActivationCodeResponse,
  IssueRequest,
  IssueResponse,
  RequestOptions,
  StaffPermissionGroup,
  StaffPermissionsResponse,
  User,
  UserTokenApi,
  UserType,
} from './types'
export type {
  MindbodyConfig,
  MindbodyConfigBase,
  ResolvedMindbodyConfig,
  ServerModeConfig,
  TokenModeConfig,
} from './MindbodyConfig'
