export { createUserTokenApi } from './createUserTokenApi'
export { MindbodyError, isMindbodyError } from './MindbodyError'
export type { MindbodyErrorKind } from './MindbodyError'
export type { IssueRequest, IssueResponse, RequestOptions, User, UserTokenApi, UserType } from './types'
export type {
  MindbodyConfig,
  MindbodyConfigBase,
  ResolvedMindbodyConfig,
  ServerModeConfig,
  TokenModeConfig,
} from './MindbodyConfig'
