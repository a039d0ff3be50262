import { MindbodyError } from './MindbodyError'
import type { ResolvedMindbodyConfig } from './MindbodyConfig'

// eslint-disable-next-line no-control-regex -- control characters are exactly what these refuse
const textish = /^[^\0-\x1f\x7f]{1,1024}$/
const printable = /^[\x20-\x7e]{1,1024}$/

/** Throws an `'invalid-input'` error naming `field` unless `ok`. The README lists each field's rule. */
export function need(ok: unknown, field: string): asserts ok {
  if (!ok) throw new MindbodyError('invalid-input', `Invalid ${field}`)
}

/** True for a string that can be sent as an HTTP header value. */
export const isHeaderValue = (value: unknown): value is string =>
  typeof value === 'string' && printable.test(value)

/** True for a string of 1 to 1024 characters with no control characters (and not blank, unless `blankOk`). */
export const isText = (value: unknown, blankOk?: boolean): value is string =>
  typeof value === 'string' && textish.test(value) && (blankOk || value.trim() !== '')

const isAllowedBaseURL = (url: string): boolean => {
  if (url === '' || /^\/(?![/\\])/.test(url)) return printable.test(url + '/')
  try {
    const parsed = new URL(url)
    return /^https?:$/.test(parsed.protocol) && !parsed.username && !parsed.password && printable.test(url)
  } catch {
    return false
  }
}

const isInteger = (value: unknown, pattern: RegExp) =>
  (typeof value === 'number' || typeof value === 'string') && pattern.test(String(value))

/** Checks every field of a resolved config, throwing `'invalid-input'` on the first bad one. */
export function checkConfig({
  siteId,
  version,
  apiKey,
  baseURL,
  authScheme,
  timeoutMs,
  mode,
}: ResolvedMindbodyConfig): void {
  need(isInteger(siteId, /^-?\d{1,10}$/), 'siteId')
  need(isInteger(version, /^[1-9]\d{0,3}$/), 'version')
  need(mode === 'token' || mode === 'server', 'mode')
  need(apiKey === undefined || isHeaderValue(apiKey), 'apiKey')
  need(
    apiKey === undefined || mode === 'token',
    'apiKey: leave it out with mode "server", whose proxy adds it',
  )
  need(typeof baseURL === 'string' && isAllowedBaseURL(baseURL), 'baseURL')
  need(
    mode === 'server' ? authScheme === undefined : authScheme === 'Bearer' || authScheme === 'raw',
    'authScheme',
  )
  need(
    timeoutMs === undefined || (typeof timeoutMs === 'number' && timeoutMs >= 0 && timeoutMs < 2 ** 31),
    'timeoutMs',
  )
}
