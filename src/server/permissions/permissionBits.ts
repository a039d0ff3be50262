import { staffPermissionNames, type StaffPermission } from '../../core/staffPermissions'

/**
 * What the proxy keeps of a staff member's permission group: its name, whether it works only from
 * listed addresses, and what it allows, one bit per name of `staffPermissionNames`, in its order.
 */
export interface KeptPermissions {
  groupName: string
  ipRestricted: boolean
  allowed: Uint8Array
}

const BYTES = Math.ceil(staffPermissionNames.length / 8)

/**
 * A tag of the list of names the bits are counted against (FNV-1a of the names in order), sealed with
 * them: a cookie sealed against another list, after the names are generated anew, reads as unknown.
 */
export const LIST_TAG = (() => {
  let hash = 0x811c9dc5
  for (const char of staffPermissionNames.join(',')) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193)
  return (hash >>> 0).toString(36)
})()

/** The position of a known permission name, else -1. */
export const permissionIndex = (name: unknown) =>
  typeof name === 'string' ? staffPermissionNames.indexOf(name as StaffPermission) : -1

/** Whether bit `index` is set. */
export const hasBit = (bits: Uint8Array, index: number) => ((bits[index >> 3]! >> (index & 7)) & 1) === 1

/** Bits for `indexes` (every known name when `all`). */
export function bitsOf(indexes: number[], all = false): Uint8Array {
  const bits = new Uint8Array(BYTES)
  const every = staffPermissionNames.map((_, i) => i)
  for (const i of all ? every : indexes) bits[i >> 3]! |= 1 << (i & 7)
  return bits
}

/** The bits as base64url, for the cookie: 183 names take 31 characters. */
export const encodeBits = (bits: Uint8Array) =>
  btoa(String.fromCharCode(...bits))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

/** The bits a cookie holds, or `undefined` when they are not this list's length. */
export function decodeBits(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !/^[\w-]*$/.test(text)) return undefined
  try {
    const bits = Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
    return bits.length === BYTES ? bits : undefined
  } catch {
    return undefined
  }
}
