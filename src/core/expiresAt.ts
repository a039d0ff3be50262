import type { IssueResponse } from './types'

/** When a token expires, in ms since the epoch (`Expires` without an offset is read as UTC), or `null`. */
export const expiresAt = (token: IssueResponse | null | undefined): number | null =>
  token?.Expires
    ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(token.Expires) ? token.Expires : token.Expires + 'Z')
    : null
