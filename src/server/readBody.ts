/**
 * Reads a request's or an upstream answer's body whole, at most `limit` bytes of it (counted as it
 * arrives, after any decoding): `null` when it is longer, whatever `Content-Length` says. Reading
 * stops at the limit, so a body with no end costs no more than `limit`.
 */
export async function readBody(
  message: Pick<Request, 'headers' | 'body'>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (Number(message.headers.get('Content-Length') ?? 0) > limit) return null
  if (!message.body) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of message.body as unknown as AsyncIterable<Uint8Array>) {
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

/** A body read whole, as JSON; throws when it is not JSON. */
export const readJson = (body: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(body))
