import { staffPermissionNames } from '../../core/staffPermissions'
import type { ProxyContext } from '../proxyContext'
import type { ProxyCall } from '../readCall'
import { json } from '../responses'
import { hasBit, type KeptPermissions } from './permissionBits'
import { ruleKey } from './permissionRules'
import { readPermissions } from './readPermissions'

/** 403 `PermissionDenied`, naming the permission the call needs; `unknown` when Mindbody did not say. */
const denied = (permission: string, unknown: boolean) =>
  json(
    {
      Error: {
        Message: unknown
          ? `Mindbody has not said what this staff member may do, so a call that needs the ${permission} permission is refused. Try again, or sign in again.`
          : `This staff member’s permission group does not allow this call: it needs the ${permission} permission.`,
        Code: 'PermissionDenied',
        Permission: permission,
      },
    },
    403,
  )

/** The refusal when `kept` lacks one of `needed`, naming the first; `undefined` when it has them all. */
export function decide(needed: number[], kept?: KeptPermissions) {
  const missing = needed.find((i) => !kept || !hasBit(kept.allowed, i))
  return missing === undefined ? undefined : denied(staffPermissionNames[missing]!, !kept)
}

/**
 * The refusal for a call the `permissions` option maps to permissions the signed-in staff member
 * lacks, before anything is sent upstream; `undefined` to let it on. A call it does not map costs one
 * lookup, and no rules none. A session whose permissions are unknown (their read at sign-in failed)
 * has them read now, for this call; still unknown, the call is refused: it fails closed.
 */
export function permissionRefusal(context: ProxyContext, call: ProxyCall) {
  const needed = context.permissionRules?.get(ruleKey(call.request.method, call.path))
  if (!needed) return undefined
  const { sealed } = call
  if (!sealed || sealed.permissions) return decide(needed, sealed?.permissions)
  return readPermissions(context, sealed, call.request.signal, call.watch).then((read) =>
    decide(needed, 'kept' in read ? read.kept : undefined),
  )
}
