const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The methods the proxy answers; any other gets 405 before anything else is read. */
export const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * Whether a state-changing request may go on: it must carry `X-Mindbody-Proxy: 1` (which a cross-site
 * form cannot send, and which makes a cross-origin script ask first) and come from one of `origins`,
 * the origins the app is served from. Without that list, its `Origin` must be the request's own
 * origin (`ownOrigin`, worked out only then), or, with no `Origin`, `Sec-Fetch-Site` must say
 * same-origin.
 */
export function passesCsrfCheck(
  request: Request,
  ownOrigin: () => string,
  origins?: ReadonlySet<string>,
): boolean {
  if (!unsafe.has(request.method)) return true
  if (request.headers.get('X-Mindbody-Proxy') !== '1') return false
  const origin = request.headers.get('Origin')
  if (origins) return origin !== null && origins.has(origin)
  return origin === null ? request.headers.get('Sec-Fetch-Site') === 'same-origin' : origin === ownOrigin()
}
