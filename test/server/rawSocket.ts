import { connect, type Socket } from 'node:net'

/** What came back over a raw socket: the status, each header line, and the body as text. */
export interface SocketAnswer {
  status: number
  headers: Array<[string, string]>
  body: string
  text: string
}

/**
 * Writes `head` (request line and header lines, without the blank line) and `body` to `origin` over a
 * plain TCP socket, exactly as written: duplicate headers, odd methods and hosts, paths no URL parser
 * has touched. `fetch` and `http.request` can send none of these.
 */
export function socketRequest(origin: string, head: string[], body = ''): Promise<SocketAnswer> {
  return openSocketRequest(origin, head, body).answer
}

/**
 * `socketRequest`, with its socket: a test can hang up before the answer, as a browser whose tab
 * closes does. `answer` then holds what came before.
 */
export function openSocketRequest(
  origin: string,
  head: string[],
  body = '',
): { socket: Socket; answer: Promise<SocketAnswer> } {
  const { hostname, port } = new URL(origin)
  const lines = [
    ...head,
    'Connection: close',
    ...(body ? [`Content-Length: ${Buffer.byteLength(body)}`] : []),
  ]
  const socket = connect(Number(port), hostname, () => socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`))
  const answer = new Promise<SocketAnswer>((resolve, reject) => {
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString()
      const [top = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...headerLines] = top.split('\r\n')
      const headers = headerLines.map((line): [string, string] => {
        const at = line.indexOf(':')
        return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()]
      })
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n'), text })
    })
  })
  return { socket, answer }
}

/** A body as sent, with any chunked framing taken off (a body that is not chunked comes back as it is). */
export function unchunked(body: string): string {
  let rest = body
  let out = ''
  for (let match; (match = /^([0-9a-f]+)\r\n/i.exec(rest));) {
    const size = parseInt(match[1]!, 16)
    if (size === 0) return out
    out += rest.slice(match[0].length, match[0].length + size)
    rest = rest.slice(match[0].length + size + 2)
  }
  return out || body
}

/** The origin the tests' app is served from, as the proxies under raw-socket tests list it in `origins`. */
export const PAGE_ORIGIN = 'http://portal.test'

/** The head of a request as the app's own page sends it: its Host, Origin, CSRF header and site, and `extra` lines. */
const pageHead = (method: string, path: string, extra: string[], body: string) => [
  `${method} ${path} HTTP/1.1`,
  'Host: portal.test',
  `Origin: ${PAGE_ORIGIN}`,
  'X-Mindbody-Proxy: 1',
  'SiteId: -99',
  ...(body ? ['Content-Type: application/json'] : []),
  ...extra,
]

/** A request as the app's own page sends it (its Host, Origin, CSRF header and site), with `extra` lines. */
export const pageRequest = (origin: string, method: string, path: string, extra: string[] = [], body = '') =>
  socketRequest(origin, pageHead(method, path, extra, body), body)

/** `pageRequest`, with its socket, to hang up on. */
export const openPageRequest = (
  origin: string,
  method: string,
  path: string,
  extra: string[] = [],
  body = '',
) => openSocketRequest(origin, pageHead(method, path, extra, body), body)
