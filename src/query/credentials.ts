import type { IssueRequest } from '../core/types'

/**
 * What a sign-in mutation keeps of its request: the username, never the password.
 *
 * @example
 * const signIn = useIssueToken()
 * signIn.variables // { Username: 'ada' } while pending or after
 */
export type IssueTokenVariables = Omit<IssueRequest, 'Password'>

const passwords = new WeakMap<object, unknown>()

/**
 * Splits a request into variables that are safe to keep in the mutation cache and a password held
 * only in a WeakMap until the mutation settles.
 */
export function sealCredentials(request: IssueRequest): IssueTokenVariables {
  const variables = { Username: request?.Username }
  passwords.set(variables, request?.Password)
  return variables
}

/** The request to send for `variables`, sealed or not. */
export const unseal = (variables: IssueTokenVariables | IssueRequest): IssueRequest =>
  ({
    Username: variables?.Username,
    Password: passwords.has(variables) ? passwords.get(variables) : (variables as IssueRequest)?.Password,
  }) as IssueRequest

/** Forgets the password of sealed `variables`. */
export const forget = (variables: object) => passwords.delete(variables)
