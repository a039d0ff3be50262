import type { IssueResponse } from '../core/types'

/**
 * Where an answer's `Set-Cookie` can also be read. A browser drops `Set-Cookie` from any Response a
 * script builds, so a harness that runs the proxy inside a page (the offline demo) reads it here.
 */
export const SET_COOKIE = Symbol.for('react-mindbody-user-token.set-cookie')

/** Hop-by-hop headers, and upstream cookies: never passed on. */
const DROPPED = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'content-encoding',
  'content-length',
]

/** Adds the session cookie's `Set-Cookie` to an answer. */
export const withCookie = (response: Response, setCookie: string): Response => {
  response.headers.append('Set-Cookie', setCookie)
  return Object.assign(response, { [SET_COOKIE]: setCookie })
}

/** A JSON answer that no cache keeps. */
export const json = (body: unknown, status = 200, headers?: HeadersInit) => {
  const response = Response.json(body, { status, headers })
  response.headers.set('Cache-Control', 'no-store')
  return response
}

/** A refusal in Mindbody's own error envelope. */
export const refuse = (status: number, Message: string, Code: string, headers?: HeadersInit) =>
  json({ Error: { Message, Code } }, status, headers)

/** The answer when Mindbody cannot be reached. */
export const unreachable = () => refuse(502, 'Mindbody could not be reached.', 'BadGateway')

/** What the browser sees of a token: everything but `AccessToken`. */
export const visible = ({ TokenType, Expires, User }: IssueResponse) => ({ TokenType, Expires, User })

/** Mindbody's answer, as it came: status, body and content type, with nothing else passed on. */
export async function passThrough(response: Response) {
  const out = new Response(await response.arrayBuffer(), { status: response.status })
  out.headers.set('Content-Type', response.headers.get('Content-Type') ?? 'application/json')
  out.headers.set('Cache-Control', 'no-store')
  return out
}

/** A forwarded answer, streamed, with the hop-by-hop headers and upstream cookies left out. */
export function forwarded(response: Response) {
  const headers = new Headers(response.headers)
  for (const name of DROPPED) headers.delete(name)
  return new Response(response.body, { status: response.status, headers })
}
