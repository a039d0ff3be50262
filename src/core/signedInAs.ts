import type { IssueResponse } from './types'

/**
 * Who a token signs in, to tell a renewal (the same staff member) from a change of staff member;
 * `undefined` with no token. Owners and admins all have `User.Id` 0, and the same permissions.
 */
export const signedInAs = (token: IssueResponse | null | undefined): string | undefined =>
  token ? `${token.User?.Id} ${token.User?.Type}` : undefined
