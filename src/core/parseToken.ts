import { MindbodyError } from './MindbodyError'
import { isHeaderValue } from './validate'
import type { IssueResponse } from './types'

type Fields = Record<string, unknown>

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The error for a 2xx or 3xx answer that is not what Mindbody sends. */
export const invalidResponse = () =>
  new MindbodyError('invalid-response', 'Invalid response: expected a Mindbody user token')

const copy = (from: Fields, to: Fields, key: string, ok: (value: unknown) => unknown) => {
  const value = from[key]
  if (value == null) return
  if (!ok(value)) throw invalidResponse()
  to[key] = ok === isObject ? parseUser(value as Fields) : value
}

const isString = (value: unknown) => typeof value === 'string'

const parseUser = (user: Fields) => {
  const out: Fields = {}
  copy(user, out, 'Id', Number.isInteger)
  copy(user, out, 'FirstName', isString)
  copy(user, out, 'LastName', isString)
  copy(user, out, 'Type', isString)
  return out
}

/**
 * Reads a token out of a response body, keeping only the known fields and refusing wrong types.
 * With `partial`, `AccessToken` may be missing (a renew may answer with only a new `Expires`).
 */
export function parseToken(body: unknown, partial?: boolean): IssueResponse {
  if (!isObject(body) || (!partial && body.AccessToken == null)) throw invalidResponse()
  const out: Fields = {}
  copy(body, out, 'AccessToken', isHeaderValue)
  copy(body, out, 'TokenType', isString)
  copy(body, out, 'Expires', (value) => isString(value) && !Number.isNaN(Date.parse(value as string)))
  copy(body, out, 'User', isObject)
  return out as unknown as IssueResponse
}
