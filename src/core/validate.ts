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

/**
 * Checks the fields every mode shares, throwing `'invalid-input'` on the first bad one; the mode
 * checks its own (`modes.ts`).
 */
export function checkCommon({ siteId, version, baseURL, timeoutMs, mode }: ResolvedMindbodyConfig): void {
  need(isInteger(siteId, /^-?\d{1,10}$/), 'siteId')
  need(isInteger(version, /^[1-9]\d{0,3}$/), 'version')
  need(mode === 'token' || mode === 'server', 'mode')
  need(typeof baseURL === 'string' && isAllowedBaseURL(baseURL), 'baseURL')
  need(
    timeoutMs === undefined || (typeof timeoutMs === 'number' && timeoutMs >= 0 && timeoutMs < 2 ** 31),
    'timeoutMs',
  )
}
