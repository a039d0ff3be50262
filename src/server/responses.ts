import type { IssueResponse } from '../core/types'
import { readBody } from './readBody'

/**
 * Where an answer's `Set-Cookie` can also be read. A browser drops `Set-Cookie` from any Response a
 * script builds, so a harness that runs the proxy inside a page (the offline demo) reads it here.
 */
export const SET_COOKIE = Symbol.for('react-mindbody-user-token.set-cookie')

/**
 * The only headers of Mindbody's that a forwarded answer passes on; everything else (cookies, CORS
 * grants, `Location`, `Refresh`, `Link`, `Alt-Svc`, HSTS, `Clear-Site-Data`, hop-by-hop and unknown
 * headers) is dropped. `Content-Type` and `Content-Language` say what the body is; `Cache-Control`
 * (made private when signed in), `Expires`, `Age` and `Vary` (which gains `Cookie`) how long the
 * browser may keep it; `Date`, `ETag` and `Last-Modified` let it revalidate; `Retry-After` when to ask
 * again after a 429 or 503. Not `Content-Length` or `Content-Encoding`: fetch decoded the body.
 */
const PASSED =
  /^(content-(type|language)|cache-control|expires|age|vary|date|etag|last-modified|retry-after)$/

/**
 * A signed-in answer's `Cache-Control`: `private`, then Mindbody's own directives (`no-store`,
 * `no-cache`, `max-age`, `must-revalidate`…) but those for shared caches (`public`, `s-maxage`,
 * `proxy-revalidate`); `private, no-store` when none is left, since Mindbody then gave no lifetime
 * for a staff member's data and a browser would guess one.
 */
const privately = (cacheControl: string | null) =>
  'private, ' +
  ((cacheControl ?? '')
    .split(/\s*,\s*/)
    .filter((directive) => directive && !/^(public|private|s-maxage|proxy-revalidate)\b/i.test(directive))
    .join(', ') || 'no-store')

/** `Vary` with `Cookie` in it, once: the answer depends on the session. One with `*` stays as it is. */
const varyByCookie = (vary: string | null) =>
  !vary ? 'Cookie' : /(^|,)\s*(\*|cookie)\s*(,|$)/i.test(vary) ? vary : `${vary}, Cookie`

/** Statuses whose answer has no body. */
export const NULL_BODY = new Set([204, 205, 304])

/** Adds the session cookie's `Set-Cookie` to an answer, when there is one. */
export const withCookie = (response: Response, setCookie: string | undefined): Response => {
  if (setCookie === undefined) return response
  response.headers.append('Set-Cookie', setCookie)
  return Object.assign(response, { [SET_COOKIE]: setCookie })
}

/** A JSON answer that no cache keeps. */
export const json = (body: unknown, status = 200, headers?: HeadersInit) => {
  const response = Response.json(body, { status, headers })
  response.headers.set('Cache-Control', 'no-store')
  return response
}

/** An empty answer that no cache keeps. */
export const noContent = () => new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } })

/** Mindbody's own error envelope; `Reason` only where the proxy ends a session. */
export const errorBody = (Message: string, Code: string, Reason?: string) => ({
  Error: { Message, Code, Reason },
})

/** A refusal in Mindbody's own error envelope. */
export const refuse = (status: number, Message: string, Code: string, headers?: HeadersInit) =>
  json(errorBody(Message, Code), status, headers)

/** The answer when Mindbody cannot be reached. */
export const unreachable = () => refuse(502, 'Mindbody could not be reached.', 'BadGateway')

/** What the browser sees of a token: everything but `AccessToken`. */
export const visible = ({ TokenType, Expires, User }: IssueResponse) => ({ TokenType, Expires, User })

/** An upstream status the proxy can pass on: 200 to 599, and no redirect, which the browser would follow. */
const isPassable = (status: number) =>
  status >= 200 && status <= 599 && (status < 300 || status >= 400 || status === 304)

/**
 * Lets an upstream answer's body go unread, so its connection is freed; not waited for, since a body's
 * cancel can take as long as its sender.
 */
export const letGo = (response: Response) => void response.body?.cancel().catch(() => undefined)

/** The answer for a token from upstream too long to be one, or cut short. */
export const unreadable = () => refuse(502, 'Mindbody sent an answer the proxy could not read.', 'BadGateway')

/** The most the proxy reads of an upstream answer it does not stream: a token or an error is under 1 kB. */
const ANSWER_LIMIT = 64 * 1024

/** An upstream answer read whole, at most `ANSWER_LIMIT` bytes: `null` when it is longer or cut short. */
export async function readAnswer(response: Response) {
  const body = await readBody(response, ANSWER_LIMIT).catch(() => null)
  if (!body) letGo(response)
  return body
}

/** The answer for an upstream answer the proxy does not pass on; its body is let go unread. */
const badGateway = (response?: Response) => {
  if (response) letGo(response)
  return refuse(502, 'Mindbody sent an answer the proxy does not pass on.', 'BadGateway')
}

/** Mindbody's answer to a token route, read whole: `body` is `null` when it was too long or cut short. */
export interface TokenAnswer {
  status: number
  ok: boolean
  type: string | null
  body: Uint8Array<ArrayBuffer> | null
}

/**
 * Mindbody's answer to a token route, as it came: status, body and content type, with nothing else
 * passed on. A body too long to read, or cut short, is dropped: the status alone still says what
 * happened.
 */
export function passThrough({ status, type, body }: TokenAnswer) {
  if (!isPassable(status)) return badGateway()
  const kept = NULL_BODY.has(status) ? null : body
  const out = new Response(kept, { status })
  if (kept) out.headers.set('Content-Type', type ?? 'application/json')
  out.headers.set('Cache-Control', 'no-store')
  return out
}

/**
 * A forwarded answer, streamed, with only the `PASSED` headers; kept out of shared caches when
 * `signedIn`, and varied by `Cookie` in any case. One a fetch built itself, as Node's client does
 * (`type` `'default'`: its headers can change), with no status text to drop, is trimmed in place; one
 * from a platform `fetch`, whose headers cannot change, is wrapped once around the same body stream.
 */
export function forwarded(response: Response, signedIn: boolean) {
  if (!isPassable(response.status)) return badGateway(response)
  const inPlace = response.type === 'default' && !response.statusText
  const headers = inPlace ? response.headers : new Headers(response.headers)
  const names: string[] = []
  headers.forEach((_, name) => PASSED.test(name) || names.push(name))
  for (const name of names) headers.delete(name)
  if (signedIn) headers.set('Cache-Control', privately(headers.get('Cache-Control')))
  headers.set('Vary', varyByCookie(headers.get('Vary')))
  // A Response built with a bodiless status has a null body already: the constructor allows no other.
  if (inPlace) return response
  const empty = NULL_BODY.has(response.status)
  return new Response(empty ? null : response.body, { status: response.status, headers })
}
