import { MindbodyError } from '../../core/MindbodyError'

/**
 * How the session cookie may travel, for a widget in a cross-site iframe.
 *
 * @example
 * const cookie: SessionCookieOptions = { sameSite: 'none', partitioned: true }
 */
export interface SessionCookieOptions {
  /**
   * `'strict'` (default): sent only when the page around it is the proxy's own site. `'none'`: also
   * inside an iframe on another site; needs `secure`. `'lax'`: as strict, plus top-level navigations.
   */
  sameSite?: 'strict' | 'lax' | 'none'
  /**
   * Adds `Partitioned` (CHIPS): the browser keeps a separate cookie for each site that embeds the
   * iframe, and sends it where third-party cookies are blocked. Needs `secure`.
   */
  partitioned?: boolean
}

/** The cookie's name for one site; `__Secure-` when it is sent over HTTPS only. */
export const cookieName = (siteId: string, secure: boolean) =>
  `${secure ? '__Secure-' : ''}mindbody-session.${siteId}`

const SAME_SITE = { strict: 'Strict', lax: 'Lax', none: 'None' }

/**
 * The session cookie's attributes besides its path and age: HttpOnly, `SameSite=Strict` unless
 * `sameSite` says otherwise, `Secure` when `secure`, and `Partitioned` (CHIPS) when asked. A
 * `sameSite` it does not know, or `None` or `Partitioned` without `Secure`, is a clear error.
 */
export function cookieAttributes(
  secure: boolean,
  { sameSite = 'strict', partitioned }: SessionCookieOptions,
) {
  const value = Object.hasOwn(SAME_SITE, sameSite) && SAME_SITE[sameSite]
  if (!value || (!secure && (value === 'None' || partitioned)))
    throw new MindbodyError(
      'invalid-input',
      "Invalid cookie: sameSite is 'strict', 'lax' or 'none', and 'none' or partitioned need secure: true",
    )
  return `HttpOnly; SameSite=${value}${secure ? '; Secure' : ''}${partitioned ? '; Partitioned' : ''}`
}

/**
 * A `Set-Cookie` value scoped to the proxy's `path`, with `attributes`; `maxAge` 0 clears it, and
 * `undefined` makes a cookie that the browser forgets when it closes.
 */
export const setCookie = (
  name: string,
  value: string,
  maxAgeSeconds: number | undefined,
  path: string,
  attributes: string,
) =>
  `${name}=${value}; Path=${path}${maxAgeSeconds === undefined ? '' : `; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`}; ${attributes}`

/** Every value of cookie `name` in a `Cookie` header (several `Cookie` headers arrive joined by `; `). */
export function readCookies(header: string | null, name: string): string[] {
  const values: string[] = []
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) values.push(part.slice(at + 1).trim())
  }
  return values
}
