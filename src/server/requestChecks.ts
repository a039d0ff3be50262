/**
 * A path the proxy never forwards: dot segments (plain or percent-encoded), encoded slashes and
 * backslashes, backslashes, empty segments (`//`), or anything that is not an absolute path.
 */
export function isHostilePath(path: string): boolean {
  if (!path.startsWith('/') || path.includes('//') || path.includes('\\')) return true
  return path
    .split('?')[0]!
    .split('/')
    .some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment) || /%(?:2f|5c|2e)/i.test(segment))
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Whether a state-changing request may go on: it must carry `X-Mindbody-Proxy: 1` (which a cross-site
 * form cannot send, and which makes a cross-origin script ask first) and come from this origin.
 */
export function passesCsrfCheck(request: Request, url: URL): boolean {
  if (!unsafe.has(request.method)) return true
  if (request.headers.get('X-Mindbody-Proxy') !== '1') return false
  return (
    request.headers.get('Origin') === url.origin || request.headers.get('Sec-Fetch-Site') === 'same-origin'
  )
}

/** Reads a body of at most `limit` bytes; `null` when it is longer, whatever `Content-Length` says. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (Number(request.headers.get('Content-Length') ?? 0) > limit) return null
  if (!request.body) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > limit) return null
    chunks.push(chunk)
  }
  const body = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    body.set(chunk, at)
    at += chunk.byteLength
  }
  return body
}
