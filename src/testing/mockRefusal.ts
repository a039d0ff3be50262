import { delay, HttpResponse } from 'msw'
import type { MockEndpoint, MockFailure, MockMindbodyOptions } from './mockOptions'
import type { MockState } from './mockState'

/** Mindbody's error envelope. */
export const error = (status: number, Message: string, Code: string, headers?: HeadersInit) =>
  HttpResponse.json({ Error: { Message, Code } }, { status, headers })
export const wrongPassword = () => error(403, 'Staff identity authentication failed.', 'DeniedAccess')
export const bearer = (request: Request) =>
  request.headers.get('Authorization')?.replace(/^Bearer\s+/i, '') ?? ''
export const invalidToken = () => error(401, 'The access token is invalid or has expired.', 'DeniedAccess')

/** The failures that answer an error of Mindbody's once the request has passed the site's checks. */
const refusals: Partial<Record<MockFailure, () => Response>> = {
  'wrong-password': wrongPassword,
  'staff-inactive': () => error(403, 'This staff member is inactive.', 'StaffIsInactive'),
  'permission-denied': () =>
    error(403, 'This staff member does not have permission to do this.', 'InvalidUserAccessLevel'),
}

const notActivated = (siteId: string) =>
  error(403, `Site ${siteId} has not activated this developer account.`, 'InvalidSourceCredentials')

/** Mindbody's checks and the injected failure, in the order a request meets them; `undefined` passes. */
export async function refusal(
  state: MockState,
  options: MockMindbodyOptions,
  endpoint: MockEndpoint,
  request: Request,
  version: string,
) {
  const { slowMs = 1500, retryAfterSeconds = 1, apiKey, unactivatedSites = [] } = options
  const failure = state.failures[endpoint]
  if (failure === 'network-error') return HttpResponse.error()
  if (failure === 'slow' || failure === 'hang-then-abort') await delay(slowMs)
  if (failure === 'hang-then-abort') return HttpResponse.error()
  if (failure === 'server-error') return error(500, 'An internal server error occurred.', 'InternalError')
  if (failure === 'rate-limited')
    return error(429, 'Too many requests.', 'TooManyRequests', { 'Retry-After': String(retryAfterSeconds) })
  if (failure === 'html')
    return HttpResponse.html('<!doctype html><title>Down for maintenance</title><h1>Back soon</h1>')
  if (!/^v[1-9]\d*$/.test(version)) return error(404, 'Unknown API version.', 'InvalidParameter')
  const key = request.headers.get('Api-Key')
  if (failure === 'missing-api-key' || (apiKey !== undefined && key !== apiKey))
    return error(
      401,
      key && failure !== 'missing-api-key' ? 'Invalid API key' : 'Missing API key',
      'DeniedAccess',
    )
  const siteId = request.headers.get('SiteId') ?? ''
  if (!/^-?\d+$/.test(siteId)) return error(400, 'SiteId header is required.', 'InvalidParameter')
  const unactivated = failure === 'site-not-activated' || unactivatedSites.some((s) => String(s) === siteId)
  if (unactivated && endpoint !== 'activationcode') return notActivated(siteId)
  return failure && refusals[failure]?.()
}
