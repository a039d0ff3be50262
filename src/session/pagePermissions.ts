import { readStaffPermissions, type StaffPermissions } from '../core/readStaffPermissions'
import type { IssueResponse } from '../core/types'
import type { ResolvedMindbodyConfig } from '../core/MindbodyConfig'
import type { PageRecord } from './pageRecord'

/**
 * The permissions of the page's sign-in, read once per sign-in for every provider and hook of the
 * page: a renewal keeps them; a sign-out, another staff member or the page letting go forgets them.
 * A failed read is not kept, so the next reader asks again.
 */
export function pagePermissions(
  record: PageRecord,
  config: ResolvedMindbodyConfig,
  token: IssueResponse,
): Promise<StaffPermissions> {
  const { permissions, store } = record
  if (permissions.request && permissions.signIn === store.signIns) return permissions.request
  const request = readStaffPermissions(config, token).catch((error: unknown) => {
    if (permissions.request === request) permissions.request = undefined
    throw error
  })
  permissions.signIn = store.signIns
  return (permissions.request = request)
}
