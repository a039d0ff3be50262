import { readStaffPermissions, type StaffPermissions } from '../core/readStaffPermissions'
import type { IssueResponse } from '../core/types'
import type { TokenActions } from './tokenActions'

/**
 * The permissions of the page's sign-in that `actions` act on, read once per sign-in for every
 * provider and hook of the page: a renewal keeps them; a sign-out, another staff member or the page
 * letting go forgets them. `null` signed out. A failed read is not kept, so the next reader asks
 * again; a 401 goes through the session's one rule.
 */
export function pagePermissions(
  { record, config, fail }: TokenActions,
  token: IssueResponse | null,
): Promise<StaffPermissions | null> {
  if (!token) return Promise.resolve(null)
  const { permissions, store } = record
  if (permissions.request && permissions.signIn === store.signIns) return permissions.request
  const request = readStaffPermissions(config, token).catch((error: unknown) => {
    if (permissions.request === request) permissions.request = undefined
    fail(error)
    throw error
  })
  permissions.signIn = store.signIns
  return (permissions.request = request)
}
