import { followClient } from './followClient'
import type { Watch } from './observe/telemetry'
import { NULL_BODY, readAnswer, type TokenAnswer } from './responses'

/** One call to Mindbody, as a route asks for it. */
export interface UpstreamCall {
  method: string
  siteId: string
  /** The staff token, sent as `Authorization`. */
  token?: string
  body?: string | Uint8Array<ArrayBuffer> | null
  contentType?: string | null
  /** The browser's request signal: the call is dropped when it aborts before Mindbody answers. */
  client?: AbortSignal
  /** The `User.Id` of the staff member whose token the call carries, for the call meter. */
  userId?: number | null
  /** The request this call is made for, when the proxy is watched: its span is the call's parent. */
  watch?: Watch
}

/** What one call to Mindbody reports when it is answered: its status (`null`: none) and its answer. */
export type Seen = (status: number | null, answer?: Uint8Array | Response | null) => Promise<void>

/** Watches each call to Mindbody as it goes out: returns what to tell when it is answered. */
export type UpstreamTap = (path: string, call: UpstreamCall, streamed: boolean) => Seen

/** How the proxy sends one call to Mindbody, and reads one whole: see `createUpstream`. */
function sender(apiKey: string, origin: string, send: typeof fetch, timeoutMs: number) {
  /**
   * A plain record of headers, which `fetch` takes as it takes `Headers`, so Node's client builds no
   * `Headers` at all.
   */
  const headersOf = ({ siteId, token, contentType }: UpstreamCall) => {
    const headers: Record<string, string> = { 'Api-Key': apiKey, SiteId: siteId, Accept: 'application/json' }
    if (token) headers.Authorization = token
    if (contentType) headers['Content-Type'] = contentType
    return headers
  }
  const start = (path: string, call: UpstreamCall, signal: AbortSignal) =>
    send(origin + path, {
      method: call.method,
      headers: headersOf(call),
      body: call.body,
      redirect: 'manual',
      signal,
    })
  /** A call answered read whole, or `null`: see `read`. */
  const readWhole = async (path: string, call: UpstreamCall): Promise<TokenAnswer | null> => {
    const { signal, release, stop } = followClient(call.client, timeoutMs)
    try {
      const response = await start(path, call, signal)
      release()
      const { status, ok } = response
      const body = NULL_BODY.has(status) ? new Uint8Array() : await readAnswer(response)
      return { status, ok, type: response.headers.get('Content-Type'), body }
    } catch {
      return null
    } finally {
      stop()
      release()
    }
  }
  return { start, readWhole }
}

/**
 * The proxy's calls to Mindbody at `origin`, with the API key, over `send`, each within `timeoutMs`;
 * each told to `tap` as it goes out and when it is answered, when the proxy is watched.
 */
export function createUpstream(
  apiKey: string,
  origin: string,
  send: typeof fetch,
  timeoutMs: number,
  tap?: UpstreamTap,
) {
  const { start, readWhole } = sender(apiKey, origin, send, timeoutMs)
  return {
    /**
     * A token route's call (sign-in, renewal, sign-out), answered read whole, or `null` when it could
     * not be made. It is dropped when the browser leaves before Mindbody begins to answer, and when the
     * whole answer takes longer than `timeoutMs`, however slowly it trickles. Once Mindbody answers, it
     * is read to the end even if the browser has gone, so that a token in it can still be revoked.
     */
    async read(path: string, call: UpstreamCall): Promise<TokenAnswer | null> {
      if (call.client?.aborted) return null
      const seen = tap?.(path, call, false)
      const answer = await readWhole(path, call)
      if (seen) await seen(answer?.status ?? null, answer?.body)
      return answer
    },
    /**
     * A forwarded call, or `null` when it could not be made. Dropped when the browser leaves, or when
     * Mindbody has not begun to answer within `timeoutMs`; once it has, the answer streams for as long
     * as the browser reads it.
     */
    async stream(path: string, call: UpstreamCall): Promise<Response | null> {
      const seen = tap?.(path, call, true)
      const { signal, stop } = followClient(call.client, timeoutMs)
      let response: Response | null
      try {
        response = await start(path, call, signal)
      } catch {
        response = null
      } finally {
        stop()
      }
      if (seen) await seen(response?.status ?? null, response)
      return response
    },
  }
}
