import type { StaffPermission } from '../core/staffPermissions'
import type { User } from '../core/types'

/**
 * A staff member's permission group, as the mock's `staff/staffpermissions` answers it. Only what is
 * allowed is listed: the answer's `DeniedPermissions` is every other name, so the two cannot disagree.
 *
 * @example
 * const desk: MockPermissionGroup = { PermissionGroupName: 'Front desk', AllowedPermissions: ['MakeSales'] }
 */
export interface MockPermissionGroup {
  PermissionGroupName: string
  /** The group works only from listed addresses. Default false. */
  IpRestricted?: boolean
  AllowedPermissions: StaffPermission[]
}

/**
 * A staff account the mock accepts. Without `siteId` it may sign in to any site.
 *
 * @example
 * createMockMindbody({ users: [{ Username: 'zoe', Password: 'pw', siteId: 1234, User: { Id: 7, Type: 'Staff' } }] })
 */
export interface MockStaffUser {
  Username: string
  Password: string
  User: User
  siteId?: string | number
  /**
   * The staff member's permission group. Without it, a staff member's group is `'Staff'` and allows
   * nothing. Owners and admins (`User.Id` 0) have no group: ask the mock for ID 0 and it answers 400.
   */
  permissions?: MockPermissionGroup
}

/**
 * How the mock misbehaves: every call fails this way until `fail(null)`. `'wrong-password'` answers
 * Mindbody's 403; `'slow'` answers after `slowMs`; `'hang-then-abort'` gives no answer for `slowMs`,
 * then drops the connection; `'rate-limited'` answers 429 `TooManyRequests` with `Retry-After`.
 * The onboarding errors, each as `MindbodyError.problem` reads it: `'missing-api-key'` answers 401
 * `DeniedAccess` "Missing API key"; `'site-not-activated'` answers 403 `InvalidSourceCredentials`
 * (every endpoint but `activationcode`, which such a site needs); `'staff-inactive'` answers 403
 * `StaffIsInactive`; `'permission-denied'` answers 403 `InvalidUserAccessLevel`.
 *
 * @example
 * mindbody.fail('html') // a maintenance page where a token should be
 * mindbody.fail('permission-denied', ['staffpermissions'])
 */
export type MockFailure =
  | 'wrong-password'
  | 'server-error'
  | 'html'
  | 'slow'
  | 'network-error'
  | 'hang-then-abort'
  | 'rate-limited'
  | 'missing-api-key'
  | 'site-not-activated'
  | 'staff-inactive'
  | 'permission-denied'

/**
 * What a successful renew answers. Mindbody documents the answer only as an object, so each of these
 * is possible: the whole token, only `{ Expires }`, `{}`, an empty 200, or a 204.
 *
 * @example
 * mindbody.answerRenewWith('no-content')
 */
export type MockRenewAnswer = 'token' | 'expires' | 'empty-object' | 'empty-body' | 'no-content'

/**
 * The mock's endpoints, to aim a failure at some of them: the three of `usertoken/`,
 * `staff/staffpermissions`, `site/activationcode`, `sale/returnsale`, and the reads `staff/staff`,
 * `class/classes` and `client/clients`.
 *
 * @example
 * mindbody.fail('server-error', ['revoke'])
 */
export type MockEndpoint =
  | 'issue'
  | 'renew'
  | 'revoke'
  | 'staffpermissions'
  | 'activationcode'
  | 'returnsale'
  | 'staff'
  | 'classes'
  | 'clients'

/** Each endpoint's path under `/public/v{n}/`. */
export const mockPaths: Record<MockEndpoint, string> = {
  issue: 'usertoken/issue',
  renew: 'usertoken/renew',
  revoke: 'usertoken/revoke',
  staffpermissions: 'staff/staffpermissions',
  activationcode: 'site/activationcode',
  returnsale: 'sale/returnsale',
  staff: 'staff/staff',
  classes: 'class/classes',
  clients: 'client/clients',
}

/**
 * Options of `createMockMindbody`.
 *
 * @example
 * createMockMindbody({ lifetimeMs: 60_000, apiKey: 'test-key', failure: 'slow', slowMs: 3000 })
 * createMockMindbody({ persist: localStorage }) // in the browser: a reload keeps the session
 */
export interface MockMindbodyOptions {
  /** Answer only under this base URL. Default: any origin and prefix (`*`). */
  baseURL?: string
  /** The accounts that can sign in. Default: `demoStaff`. */
  users?: MockStaffUser[]
  /** How long an issued token lives. Default 24 hours. */
  lifetimeMs?: number
  /** When set, a request without this `Api-Key` is refused with 401, as Mindbody does. */
  apiKey?: string
  /**
   * Sites that have not activated the developer's key: every call for them but `activationcode`
   * answers as `fail('site-not-activated')` does. Default none.
   */
  unactivatedSites?: Array<string | number>
  /** Start failing at once, on every endpoint. */
  failure?: MockFailure | null
  /** How long `'slow'` waits before answering. Default 1 500 ms. */
  slowMs?: number
  /** The `Retry-After` of `'rate-limited'`, in seconds. Default 1. */
  retryAfterSeconds?: number
  /** What a successful renew answers. Default `'token'`. */
  renewAnswer?: MockRenewAnswer
  /** How far the server's clock runs ahead of this device's (negative: behind). Default 0. */
  skewMs?: number
  /** Send a `Date` header, as a server does (a browser reads it only same-origin). Default true. */
  dateHeader?: boolean
  /**
   * Keep the issued tokens in this storage, so that they outlive the page: after a reload, or in
   * another tab, the mock still accepts a token it issued, as Mindbody would. Give `localStorage`
   * (or `sessionStorage`) when the mock runs in the browser for development. Default: none, each mock
   * starts with no tokens, as tests want. The key is `react-mindbody-user-token/mock:` and the base URL.
   */
  persist?: Pick<Storage, 'getItem' | 'setItem'>
}
