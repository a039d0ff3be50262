/** Characters RFC 3986 calls unreserved: their percent-escapes mean the same as the characters. */
const UNRESERVED_ESCAPE = /%(2[dDeE]|3[0-9]|4[1-9a-fA-F]|5[0-9aA]|5[fF]|6[1-9a-fA-F]|7[0-9aA]|7[eE])/g

/**
 * The one path the proxy checks, routes and forwards, decided once from the path as sent on the wire:
 * percent-escapes of unreserved characters decoded (`%75` is `u`, `%2e` is `.`), and `undefined` for
 * any path that could mean something else to another server: outside `basePath + '/'`, or still
 * holding `%25` (double encoding), `%2f` or `%5c` (encoded slashes), `%u` or other broken escapes, `;`
 * parameters, backslashes, empty or dot segments, a control character (`%0a`: a URL parser drops tabs
 * and newlines, and trims the others at the end, so `return%0asale` is `returnsale` to it), or any
 * byte beyond ASCII: Mindbody's paths are ASCII,
 * and a look-alike (`u%C5%BFertoken`, a long s) could be one of its token routes to a router that folds
 * case and compatibility forms, slipping past the checks that keep those routes sealed.
 */
export function canonicalPath(raw: string, basePath: string): string | undefined {
  // A '%' not followed by two hex digits could become an escape once its neighbours are decoded.
  if (!raw.startsWith(basePath + '/') || /%(?![\da-f]{2})/i.test(raw)) return undefined
  const path = raw.replace(UNRESERVED_ESCAPE, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)))
  if (/%(25|2f|5c|7f|u|[0189a-f])|[;\\]/i.test(path)) return undefined
  try {
    decodeURIComponent(path)
  } catch {
    return undefined
  }
  const segments = path.slice(basePath.length + 1).split('/')
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..') ? path : undefined
}

/** The path and query of a request target or URL as written, before any URL parser tidies it. */
export function rawTarget(url: string): { path: string; search: string } {
  const target = url.replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, '').split('#')[0]!
  const at = target.indexOf('?')
  return at < 0 ? { path: target, search: '' } : { path: target.slice(0, at), search: target.slice(at) }
}

/** A `Host` header that is a host, with a port or not, and nothing else. */
export const isWellFormedHost = (host: string): boolean =>
  /^(?:[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*|\[[a-f\d:.]+\])(?::\d{1,5})?$/i.test(
    host,
  )
