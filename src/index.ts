export { createUserTokenApi, isMindbodyError, MindbodyError } from './core'
export { MindbodyProvider } from './MindbodyProvider'
export { useMindbodyConfig } from './useMindbodyConfig'
export { useIssueToken } from './useIssueToken'
export { useRevokeToken } from './useRevokeToken'
export { useUserToken } from './useUserToken'
export { useRenewToken } from './useRenewToken'
export { useMindbodyClient } from './useMindbodyClient'
export { UserTokenGate } from './UserTokenGate'
export { userTokenKeys } from './userTokenKeys'
export { issueTokenMutationOptions } from './issueTokenMutationOptions'
export { revokeTokenMutationOptions } from './revokeTokenMutationOptions'
export { userTokenQueryOptions } from './userTokenQueryOptions'

export type {
  IssueRequest,
  IssueResponse,
  MindbodyConfig,
  MindbodyErrorKind,
  RequestOptions,
  ResolvedMindbodyConfig,
  User,
  UserTokenApi,
  UserType,
} from './core'
export type { IssueTokenVariables } from './credentials'
export type { MindbodyProviderProps } from './MindbodyProvider'
export type { UseIssueTokenOptions, UseIssueTokenResult } from './useIssueToken'
export type { UseRevokeTokenOptions, UseRevokeTokenResult } from './useRevokeToken'
export type { UserTokenState } from './useUserToken'
export type { UseRenewTokenOptions, UseRenewTokenResult } from './useRenewToken'
export type { UserTokenGateProps } from './UserTokenGate'
export type { SignOutReason } from './createTokenSession'
export type { UserTokenStorage, UserTokenStorageOption } from './userTokenStorage'
