import { createSender } from './createUserTokenApi'
import { MindbodyError } from './MindbodyError'
import { need } from './validate'
import type { StaffPermission } from './staffPermissions'
import type { IssueResponse, RequestOptions } from './types'
import type { ResolvedMindbodyConfig } from './MindbodyConfig'

/**
 * What the signed-in staff member may do, as their Mindbody permission group says.
 *
 * @example
 * const mayRefund = (known: StaffPermissions) => known.permissions.has('RefundSales')
 */
export interface StaffPermissions {
  /** Every permission the group allows (`AllowedPermissions`); a name in neither list is not allowed. */
  permissions: ReadonlySet<StaffPermission>
  /** The group's `PermissionGroupName`; `null` for owners and admins, who belong to none. */
  groupName: string | null
  /** Whether the group works only from listed addresses: through `/server`, Mindbody sees the server's. */
  ipRestricted: boolean
}

/** An owner's or admin's permissions: every name, with no call (their `User.Id` is always 0). */
const everything = async (): Promise<StaffPermissions> => ({
  permissions: new Set((await import('./staffPermissions')).staffPermissionNames),
  groupName: null,
  ipRestricted: false,
})

type Group = { PermissionGroupName?: unknown; IpRestricted?: unknown; AllowedPermissions?: unknown }

/**
 * Reads the permissions of `token`'s staff member: `GET /staff/staffpermissions?request.staffId=`
 * its `User.Id`, with the token (in server mode the `/server` proxy answers from the session). A
 * token with no staff id to ask about sends nothing.
 */
export async function readStaffPermissions(
  config: ResolvedMindbodyConfig,
  token: IssueResponse,
  options?: RequestOptions,
): Promise<StaffPermissions> {
  const user = token.User
  if (user?.Type === 'Owner' || user?.Type === 'Admin') return everything()
  const id = user?.Id
  need(Number.isSafeInteger(id) && id! > 0, 'User.Id: the token names no staff member')
  const path = `/public/v${config.version}/staff/staffpermissions?request.staffId=${id}`
  const { body } = await createSender(config)('GET', path, options, token.AccessToken)
  const group = (body as { UserGroup?: Group } | null)?.UserGroup
  const allowed = group?.AllowedPermissions
  if (!Array.isArray(allowed) || !allowed.every((name) => typeof name === 'string'))
    throw new MindbodyError('invalid-response', 'Invalid response: expected staff permissions')
  const name = group!.PermissionGroupName
  return {
    permissions: new Set(allowed as StaffPermission[]),
    groupName: typeof name === 'string' ? name : null,
    ipRestricted: group!.IpRestricted === true,
  }
}
