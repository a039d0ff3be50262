export { createUserTokenApi } from './createUserTokenApi'
export { MindbodyError, isMindbodyError } from './MindbodyError'
export type { MindbodyErrorKind } from './MindbodyError'
export type {
  IssueRequest,
  IssueResponse,
  MindbodyConfig,
  MindbodyConfigBase,
  RequestOptions,
  ResolvedMindbodyConfig,
  ServerModeConfig,
  TokenModeConfig,
  User,
  UserTokenApi,
  UserType,
} from './types'
