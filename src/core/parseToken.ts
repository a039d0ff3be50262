import { MindbodyError } from './MindbodyError'
import { isHeaderValue } from './validate'
import type { IssueResponse } from './types'

type Fields = Record<string, unknown>

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The error for a 2xx or 3xx answer that is not what Mindbody sends. */
export const invalidResponse = () =>
  new MindbodyError('invalid-response', 'Invalid response: expected a Mindbody user token')

const isString = (value: unknown) => typeof value === 'string'
const isDate = (value: unknown) => isString(value) && !Number.isNaN(Date.parse(value as string))

type Rules = Record<string, (value: unknown) => unknown>

const userRules: Rules = { Id: Number.isInteger, FirstName: isString, LastName: isString, Type: isString }
const tokenRules: Rules = { AccessToken: isHeaderValue, TokenType: isString, Expires: isDate, User: isObject }

/**
 * Copies the fields of `from` that `rules` know, refusing a wrong type (or, when `lenient`, skipping
 * it). `User` is read the same way, one level down.
 */
function pick(from: Fields, lenient: boolean, rules = tokenRules): Fields {
  const out: Fields = {}
  for (const [key, ok] of Object.entries(rules)) {
    const value = from[key]
    if (value == null) continue
    if (!ok(value)) {
      if (lenient) continue
      throw invalidResponse()
    }
    out[key] = key === 'User' ? pick(value as Fields, lenient, userRules) : value
  }
  return out
}

/**
 * Reads a token out of an issue answer, keeping only the known fields and refusing wrong types. From
 * the `/server` proxy (`server`), the answer has no `AccessToken`: the token's is then `''`.
 */
export function parseToken(body: unknown, server?: boolean): IssueResponse {
  if (!isObject(body) || (!server && body.AccessToken == null)) throw invalidResponse()
  const token = pick(server ? { ...body, AccessToken: null } : body, false)
  if (server) token.AccessToken = ''
  return token as unknown as IssueResponse
}

/**
 * Reads what a renew answer says: its valid known fields, whatever else it holds. Mindbody documents
 * the answer only as an object, so `{}`, an empty body or a 204 give no fields at all.
 */
export const parseRenewal = (body: unknown): Partial<IssueResponse> =>
  isObject(body) ? pick(body, true) : {}
