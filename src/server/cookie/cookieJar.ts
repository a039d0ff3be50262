import { cookieName, readCookies, setCookie } from './cookieHeader'
import type { createSessionSealer, SealedToken } from './sessionSealer'

/** What the session cookie's `Set-Cookie` needs of the settings. */
export interface CookieSettings {
  secure: boolean
  cookiePath: string
  attributes: string
  /** Whether the cookie has no `Max-Age`, read at each sign-in. */
  transient: () => boolean
}

/** The session cookie of each site: cleared, sealed, and opened from a request. */
export function cookieJar(
  { secure, cookiePath, attributes, transient }: CookieSettings,
  sealer: ReturnType<typeof createSessionSealer>,
) {
  return {
    /** The `Set-Cookie` that clears a site's cookie. */
    clear: (siteId: string) => setCookie(cookieName(siteId, secure), '', 0, cookiePath, attributes),
    /** The `Set-Cookie` that seals `token` until `until`, with no `Max-Age` when transient. */
    async sealed(token: SealedToken, until: number) {
      const maxAge = transient() ? undefined : (until - Date.now()) / 1000
      const value = await sealer.seal(token, until)
      return setCookie(cookieName(token.siteId, secure), value, maxAge, cookiePath, attributes)
    },
    /** Whether the request's cookie is one opened a moment ago, so it will not be decrypted again. */
    remembered(request: Request) {
      const siteId = request.headers.get('SiteId') ?? ''
      const [sealed] = readCookies(request.headers.get('Cookie'), cookieName(siteId, secure))
      return sealed !== undefined && sealer.remembers(sealed)
    },
    /**
     * The sealed token of `siteId` in the request's cookie: a value, `null` when there is none, `false`
     * when it is bad, and `'ambiguous'` when there are two (a sibling subdomain can plant one).
     */
    async opened(request: Request, siteId: string): Promise<SealedToken | null | false | 'ambiguous'> {
      const [sealed, ...more] = readCookies(request.headers.get('Cookie'), cookieName(siteId, secure))
      if (more.length) return 'ambiguous'
      if (!sealed) return null
      const token = await sealer.open(sealed)
      return token && token.siteId === siteId ? token : false
    },
  }
}
