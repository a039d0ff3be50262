import type { StaffPermission } from './staffPermissions'

/**
 * The kind of user a token stands for. Owner and Admin users always have `Id` 0. Mindbody may add
 * kinds, so any other string can arrive too; the three known ones still autocomplete.
 *
 * @example
 * const isOwner = (type?: UserType) => type === 'Owner' || type === 'Admin'
 */
export type UserType = 'Staff' | 'Owner' | 'Admin' | (string & {})

/**
 * The user a token represents, as Mindbody returns it.
 *
 * @example
 * const name = (user: User) => [user.FirstName, user.LastName].filter(Boolean).join(' ')
 */
export interface User {
  /** The user's ID at the business; always 0 for owners and admins. */
  Id?: number
  FirstName?: string
  LastName?: string
  Type?: UserType
}

/**
 * The body of `POST /usertoken/issue`: a staff member's Mindbody credentials.
 *
 * @example
 * const request: IssueRequest = { Username: 'ada', Password: form.password.value }
 */
export interface IssueRequest {
  /** The staff member's username. */
  Username: string
  /** The staff member's password: sent once, kept nowhere. */
  Password: string
}

/**
 * A staff user token as Mindbody returns it; only these fields are kept.
 *
 * @example
 * const token: IssueResponse = await api.issue(request)
 * fetch(url, { headers: { Authorization: token.AccessToken } })
 */
export interface IssueResponse {
  /** The token to send in `Authorization`. */
  AccessToken: string
  /** Usually `'Bearer'`; the token is still sent as it is unless `authScheme` is `'Bearer'`. */
  TokenType?: string
  /** Expiry in UTC, as an ISO 8601 string; read as UTC when it has no offset. */
  Expires?: string
  /** Who signed in. */
  User?: User
}

/** A token as it arrived, with how far the server's clock ran ahead of this device's then, in ms. */
export interface ArrivedToken {
  token: IssueResponse
  /** From the answer's `Date` header; `undefined` when it had none. */
  skew?: number
}

/**
 * Options for one call of `createUserTokenApi`.
 *
 * @example
 * await api.issue(request, { signal: AbortSignal.timeout(10_000) })
 */
export interface RequestOptions {
  /** Cancels the request; it then rejects with a `'aborted'` error. */
  signal?: AbortSignal
}

/**
 * The three user-token calls, as plain promises.
 *
 * @example
 * const api = createUserTokenApi({ siteId: -99, apiKey })
 * const token = await api.issue({ Username, Password })
 * await api.revoke(token.AccessToken)
 */
export interface UserTokenApi {
  /** `POST /usertoken/issue`: signs a staff member in. */
  issue(request: IssueRequest, options?: RequestOptions): Promise<IssueResponse>
  /** `DELETE /usertoken/revoke`: makes the token unusable. */
  revoke(accessToken: string, options?: RequestOptions): Promise<void>
  /**
   * `POST /usertoken/renew`: extends the token's life. Any 2xx is a renewal, whatever its body: the
   * answer's valid fields are merged over `token`, and when it has no valid `Expires`, the new one is
   * the old plus 24 hours, as Mindbody documents. Given only the `AccessToken` string, the result has
   * an `Expires` only when the answer does.
   */
  renew(token: IssueResponse | string, options?: RequestOptions): Promise<IssueResponse>
}

/**
 * A staff member's permission group, as `GET /staff/staffpermissions` answers it. Mindbody may add
 * names, so any other string can arrive too.
 *
 * @example
 * const canRefund = (group: StaffPermissionGroup) => !!group.AllowedPermissions?.includes('RefundSales')
 */
export interface StaffPermissionGroup {
  /** The group's name at the business, such as `'Front Desk'`. */
  PermissionGroupName?: string
  /** When true, the group works only from listed IP addresses (through a proxy: the proxy's). */
  IpRestricted?: boolean
  /** What the group may do. */
  AllowedPermissions?: Array<StaffPermission | (string & {})>
  /** What the group may not do. */
  DeniedPermissions?: Array<StaffPermission | (string & {})>
}

/**
 * The answer of `GET /public/v6/staff/staffpermissions?request.staffId={User.Id}`.
 *
 * @example
 * const { UserGroup }: StaffPermissionsResponse = await client.get(path).then((r) => r.data)
 */
export interface StaffPermissionsResponse {
  UserGroup: StaffPermissionGroup
}

/**
 * The answer of `GET /public/v6/site/activationcode` (API key and `SiteId`, no token), for the owner of
 * a site that has not yet activated the developer's key.
 *
 * @example
 * const { ActivationLink }: ActivationCodeResponse = await getSiteActivation({ apiKey, siteId })
 */
export interface ActivationCodeResponse {
  /** The code the owner enters to grant this developer account access to the site. */
  ActivationCode: string
  /** A link to the site's Manage Credentials screen, where the owner activates it. */
  ActivationLink: string
}
