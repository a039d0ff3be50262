import { isWellFormedHost } from './canonicalPath'

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The methods the proxy answers; any other gets 405 before anything else is read. */
export const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * The request's own origin as the browser sees it: the scheme of `request.url` and the `Host` header
 * the browser sent, or `null` when there is no well-formed `Host`.
 *
 * The host comes from `Host`, not from `request.url`: frameworks rebuild the URL from their own host
 * name (Next.js makes it `localhost:3000` when it listens there), while `Host` is what the browser put
 * in the address bar, the same host its `Origin` names. The scheme comes from `request.url`, never from
 * `X-Forwarded-Proto`, which the proxy cannot tell from a header the client wrote itself: the runtime
 * knows whether its own socket is TLS, and Next.js already takes the scheme from TLS or from
 * `X-Forwarded-Proto`. Behind a proxy that terminates TLS and whose runtime reports `http:`, an
 * `https:` page does not match, and its state-changing requests are refused: this fails closed, and
 * `origins` is the fix.
 */
export function ownOrigin(request: Request): string | null {
  const host = request.headers.get('Host')
  if (!host || !isWellFormedHost(host)) return null
  try {
    // Lower case, punycode, and no default port, as an `Origin` header is written.
    return new URL(`${new URL(request.url).protocol}//${host}`).origin
  } catch {
    return null
  }
}

/** Why `csrfRefusal` refused, as the 403 says it. */
const REFUSED = 'Cross-site request refused.'
const UNKNOWN =
  'Cross-site request refused: the proxy cannot tell its own origin (no well-formed Host header). Set origins to the origins the app is served from.'
const SCHEME =
  'Cross-site request refused: the page and the proxy see different schemes (a proxy in front that terminates TLS?). Set origins to the origins the app is served from.'

/**
 * Whether a state-changing request may go on: `null` when it may, else the message of its 403. It
 * must carry `X-Mindbody-Proxy: 1` (which a cross-site form cannot send, and which makes a
 * cross-origin script ask first) and come from one of `origins`, the origins the app is served from.
 * Without that list, its `Origin` must be the request's own origin (`ownOrigin`: the browser's `Host`
 * with the scheme of `request.url`), or, with no `Origin`, `Sec-Fetch-Site` must say same-origin. A
 * request with no own origin to compare is refused, saying to set `origins`.
 */
export function csrfRefusal(request: Request, origins?: ReadonlySet<string>): string | null {
  if (!unsafe.has(request.method)) return null
  if (request.headers.get('X-Mindbody-Proxy') !== '1') return REFUSED
  const origin = request.headers.get('Origin')
  if (origins) return origin !== null && origins.has(origin) ? null : REFUSED
  if (origin === null) return request.headers.get('Sec-Fetch-Site') === 'same-origin' ? null : REFUSED
  const own = ownOrigin(request)
  if (own === null) return UNKNOWN
  if (origin === own) return null
  // Same host, other scheme: the browser's page is https and the runtime saw http, or the reverse.
  return origin.replace(/^https?:/, '') === own.replace(/^https?:/, '') ? SCHEME : REFUSED
}
