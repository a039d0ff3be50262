import { staffPermissionNames } from '../../core/staffPermissions'
import type { User } from '../../core/types'
import {
  bitsOf,
  decodeBits,
  encodeBits,
  hasBit,
  LIST_TAG,
  permissionIndex,
  type KeptPermissions,
} from './permissionBits'

type Fields = Record<string, unknown>
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null

/** The longest group name kept: Mindbody's are a few words. */
const NAME_LIMIT = 200

/** Whether `user` is an owner or an admin, whose `User.Id` is always 0 and who may do everything. */
export const isOwner = (user?: User) => /^(owner|admin)$/i.test(user?.Type ?? '')

/** An owner's or admin's permissions: every one, in a group named after the type (`'Owner'`, `'Admin'`). */
export const everyPermission = (user?: User): KeptPermissions => ({
  groupName: user?.Type ?? 'Owner',
  ipRestricted: false,
  allowed: bitsOf([], true),
})

/**
 * What a `staffpermissions` answer says, or `undefined` when it is not one. Names the list does not
 * know are dropped; a name both allowed and denied counts as denied.
 */
export function permissionsOf(body: unknown): KeptPermissions | undefined {
  const group = isObject(body) && isObject(body.UserGroup) ? body.UserGroup : undefined
  if (!group || !Array.isArray(group.AllowedPermissions)) return undefined
  const { PermissionGroupName: name = '', IpRestricted = false, DeniedPermissions = [] } = group
  if (typeof name !== 'string' || typeof IpRestricted !== 'boolean' || !Array.isArray(DeniedPermissions))
    return undefined
  const denied = new Set(DeniedPermissions)
  const allowed = group.AllowedPermissions.filter((p) => !denied.has(p)).map(permissionIndex)
  return {
    groupName: name.slice(0, NAME_LIMIT),
    ipRestricted: IpRestricted,
    allowed: bitsOf(allowed.filter((i) => i >= 0)),
  }
}

/** The kept permissions in Mindbody's own shape, every known name either allowed or denied. */
export function groupAnswer({ groupName, ipRestricted, allowed }: KeptPermissions) {
  const [yes, no] = [[] as string[], [] as string[]]
  staffPermissionNames.forEach((name, i) => (hasBit(allowed, i) ? yes : no).push(name))
  return {
    UserGroup: {
      PermissionGroupName: groupName,
      IpRestricted: ipRestricted,
      AllowedPermissions: yes,
      DeniedPermissions: no,
    },
  }
}

/** The kept permissions as the cookie holds them: the bits in base64url, with the tag of their list. */
export const sealedPermissions = ({ groupName, ipRestricted, allowed }: KeptPermissions) => ({
  g: groupName,
  ip: ipRestricted,
  a: encodeBits(allowed),
  l: LIST_TAG,
})

/** The permissions a cookie holds, or `undefined`: none, not well formed, or sealed against another list. */
export function openedPermissions(sealed: unknown): KeptPermissions | undefined {
  if (!isObject(sealed) || sealed.l !== LIST_TAG) return undefined
  const allowed = decodeBits(sealed.a)
  const { g, ip } = sealed
  return allowed && typeof g === 'string' && typeof ip === 'boolean'
    ? { groupName: g, ipRestricted: ip, allowed }
    : undefined
}
