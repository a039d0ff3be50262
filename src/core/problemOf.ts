/**
 * What a person can do something about, read from Mindbody's answer (see `MindbodyError.problem`):
 * - `'wrong-credentials'`: the username or password is wrong; type them again.
 * - `'api-key'`: the developer's API key is missing or refused; a developer must set it.
 * - `'site-not-activated'`: the site has not activated the developer's key (or the site ID is wrong);
 *   the owner must open the activation link.
 * - `'permission-denied'`: the staff member's permission group does not allow this; ask a manager.
 * - `'staff-inactive'`: the staff account is inactive at the business; ask a manager.
 * - `'rate-limited'`: too many calls; wait and try again.
 *
 * @example
 * const advice: Record<MindbodyProblem, string> = {
 *   'wrong-credentials': 'Check your username and password.',
 *   'api-key': 'This app is not set up: tell its developer (API key).',
 *   'site-not-activated': 'This site has not activated this app yet: ask the owner to open the activation link.',
 *   'permission-denied': 'Your permission group does not allow this: ask a manager.',
 *   'staff-inactive': 'Your staff account is inactive: ask a manager.',
 *   'rate-limited': 'Too many attempts: wait a moment and try again.',
 * }
 */
export type MindbodyProblem =
  | 'wrong-credentials'
  | 'api-key'
  | 'site-not-activated'
  | 'permission-denied'
  | 'staff-inactive'
  | 'rate-limited'

/** `[problem, code, status, call, message]`: `''`, `0` or nothing matches any; `'issue'` is `usertoken/issue`. */
type Rule = [MindbodyProblem, string, number?, ('issue' | 'other' | '')?, RegExp?]

/**
 * Mindbody's answers, read in order: the first rule that matches says the problem, none says nothing.
 * The evidence for each row, and how sure it is, is in docs/assumptions.md (The error table).
 */
// prettier-ignore
const RULES: Rule[] = [
  ['api-key',            'DeniedAccess',                   401, '',      /api key/i],
  ['wrong-credentials',  'DeniedAccess',                   403, 'issue'],
  ['wrong-credentials',  'InvalidStaffCredentials',        0,   'issue'],
  ['permission-denied',  'DeniedAccess',                   403, 'other'],
  ['permission-denied',  'InvalidUserAccessLevel'],
  ['permission-denied',  'InvalidPermissionConfiguration'],
  ['permission-denied',  'PermissionDenied'],
  ['site-not-activated', 'InvalidSourceCredentials'],
  ['site-not-activated', 'InvalidSiteId'],
  ['staff-inactive',     'StaffIsInactive'],
  ['rate-limited',       '',                               429],
]

/** The problem an error answer of Mindbody (or of the `/server` proxy) shows, from the table above. */
export function problemOf(
  status: number,
  code?: string,
  message = '',
  onIssue = false,
): MindbodyProblem | undefined {
  return RULES.find(
    ([, c, s, call, text]) =>
      (!c || c === code) &&
      (!s || s === status) &&
      (!call || (call === 'issue') === onIssue) &&
      (!text || text.test(message)),
  )?.[0]
}
