import type { SealedToken } from '../cookie/sessionSealer'
import type { Watch } from '../observe/telemetry'
import type { ProxyContext } from '../proxyContext'
import { readJson } from '../readBody'
import type { TokenAnswer } from '../responses'
import type { KeptPermissions } from './permissionBits'
import { everyPermission, isOwner, permissionsOf } from './permissionGroup'

/** What reading a staff member's permissions gave: the permissions, or Mindbody's answer (`null`: none). */
export type PermissionsRead = { kept: KeptPermissions } | { failed: TokenAnswer | null }

/**
 * The permissions of `token`'s staff member: every one for an owner or admin, with no call; else one
 * call of `GET /staff/staffpermissions` for its own `User.Id`, with its own token, within the
 * upstream deadline, dropped when `client` aborts, traced under the request `watch` watches. Never
 * throws.
 */
export async function readPermissions(
  { upstream }: ProxyContext,
  token: Pick<SealedToken, 'AccessToken' | 'User' | 'siteId' | 'version'>,
  client?: AbortSignal,
  watch?: Watch,
): Promise<PermissionsRead> {
  const { User, siteId, version } = token
  if (isOwner(User)) return { kept: everyPermission(User) }
  if (!Number.isInteger(User?.Id)) return { failed: null }
  const answer = await upstream.read(
    `/public/v${version}/staff/staffpermissions?request.staffId=${User!.Id}`,
    {
      method: 'GET',
      siteId,
      token: token.AccessToken,
      client,
      userId: User!.Id,
      watch,
    },
  )
  if (!answer?.ok || !answer.body) return { failed: answer }
  let body: unknown
  try {
    body = readJson(answer.body)
  } catch {
    return { failed: answer }
  }
  const kept = permissionsOf(body)
  return kept ? { kept } : { failed: answer }
}
