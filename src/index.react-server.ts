/**
 * What `react-mindbody-user-token` gives React Server Components and route handlers (the
 * `react-server` export condition): the React-free part only. The provider, the hooks and the gate
 * are client code; import them from a `'use client'` file. Importing one here fails the build with
 * "Export … doesn't exist", rather than answering 500 at request time.
 */
export { createUserTokenApi, isMindbodyError, MindbodyError } from './core'
export { userTokenKeys } from './userTokenKeys'
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
