// The modules themselves, so `request` is looked up at each call: a client instrumented or mocked
// after start-up (OpenTelemetry, MSW) is the one used.
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import { NULL_BODY } from '../responses'
import { webStream, type Source } from './webStream'

/** Each upstream answer's body as Node read it, by the web stream the proxy saw: the adapter pipes it as is. */
export type NodeBodies = WeakMap<ReadableStream, NodeJS.ReadableStream & { destroy(): void }>

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
}

/** The headers Node's client sends for `init`, and its body as bytes. */
function outgoing(init: RequestInit) {
  // The proxy passes a plain record; anything else is read as fetch would.
  const given = init.headers ?? {}
  const headers: Record<string, string> = {
    'Accept-Encoding': 'gzip, deflate, br',
    ...(given instanceof Headers || Array.isArray(given) ? Object.fromEntries(new Headers(given)) : given),
  }
  // The proxy sends a JSON string or the bytes it read, never a stream.
  const content = init.body as string | Uint8Array | null | undefined
  const body = typeof content === 'string' ? Buffer.from(content) : content
  if (body) headers['Content-Length'] = String(body.byteLength)
  return { headers, body }
}

/**
 * Node's answer as a `Response`, its body decoded and filed in `bodies`. Throws for an encoding it
 * cannot decode, and for a status outside 200 to 599: the proxy answers that as unreachable.
 */
function answerOf(res: IncomingMessage, method: string | undefined, bodies: NodeBodies) {
  const headers = new Headers()
  for (let i = 0; i < res.rawHeaders.length; i += 2)
    headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!)
  const status = res.statusCode ?? 0
  const bodiless = NULL_BODY.has(status) || method === 'HEAD'
  if (bodiless) res.resume()
  let body: ReadableStream<Uint8Array> | null = null
  if (!bodiless) {
    const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
    const decode = DECODERS[encoding]
    if (!decode && encoding !== 'identity') throw new TypeError(`Unsupported Content-Encoding: ${encoding}`)
    const source = (decode ? res.pipe(decode()) : res) as Source
    if (decode) {
      res.once('error', (error) => source.destroy(error))
      // Whoever reads it hears of a broken encoding; unread, it must not throw.
      source.on('error', () => undefined)
    }
    body = webStream(source)
    bodies.set(body, source)
  }
  // No status text: the proxy's answer takes Node's standard one, never upstream's own words.
  return new Response(body, { status, headers })
}

/**
 * Mindbody's upstream on Node, as a `fetch` for the proxy's own calls: `node:https` (or `node:http`)
 * over kept-alive connections, freed after 4 idle seconds or the server's `Keep-Alive` hint. It does
 * what the proxy asks of fetch and no more: it never follows a redirect, decodes gzip, deflate and br
 * as fetch would (and fails on any other encoding), fails on a status a `Response` cannot hold, and
 * drops the call when `signal` aborts. Each body it answers is filed in `bodies`, so that
 * `toNodeHandler` can pipe it untouched.
 */
export function nodeUpstream(bodies: NodeBodies): typeof fetch {
  const options = { keepAlive: true, timeout: 4_000, scheduling: 'lifo' as const }
  const agents = { http: new http.Agent(options), https: new https.Agent(options) }
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input))
      const secure = url.protocol === 'https:'
      const { headers, body } = outgoing(init)
      const signal = init.signal
      if (signal?.aborted) return reject(signal.reason)
      let req: http.ClientRequest
      try {
        req = (secure ? https : http).request(
          url,
          { method: init.method ?? 'GET', headers, agent: secure ? agents.https : agents.http },
          (res) => {
            try {
              resolve(answerOf(res, init.method, bodies))
            } catch (error) {
              res.destroy()
              reject(error)
            }
          },
        )
      } catch (error) {
        return reject(error)
      }
      req.on('error', reject)
      // A 101 is no answer the proxy can give; with no listener Node would wait for ever.
      req.once('upgrade', (_, socket) => {
        socket.destroy()
        reject(new TypeError('Mindbody switched protocols'))
      })
      // As undici's fetch: a call silent for 300 seconds fails.
      req.setTimeout(300_000, () => req.destroy(new Error('Mindbody did not answer in time')))
      if (signal) {
        // Only while the call lasts: its socket goes back to the pool after.
        const abort = () => req.destroy(signal.reason)
        signal.addEventListener('abort', abort, { once: true })
        req.once('close', () => signal.removeEventListener('abort', abort))
      }
      req.end(body ?? undefined)
    })
}
