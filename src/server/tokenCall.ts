import { NULL_BODY, readAnswer, type TokenAnswer } from './responses'

/**
 * One call of a token route to Mindbody (sign-in, renewal, sign-out), answered read whole, or `null`
 * when it could not be made. It is dropped when `client` aborts before Mindbody begins to answer (the
 * browser has gone), and when the whole answer takes longer than `timeoutMs`, however slowly Mindbody
 * trickles it. Once Mindbody answers, it is read to the end even if the browser has gone, so that a
 * token in it can still be revoked.
 */
export async function tokenCall(
  send: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  client?: AbortSignal,
): Promise<TokenAnswer | null> {
  const controller = new AbortController()
  const drop = () => controller.abort()
  const timer = setTimeout(drop, timeoutMs)
  client?.addEventListener('abort', drop)
  try {
    if (client?.aborted) return null
    const response = await send(url, { ...init, redirect: 'manual', signal: controller.signal })
    client?.removeEventListener('abort', drop)
    const { status, ok } = response
    const body = NULL_BODY.has(status) ? new Uint8Array() : await readAnswer(response)
    return { status, ok, type: response.headers.get('Content-Type'), body }
  } catch {
    return null
  } finally {
    clearTimeout(timer)
    client?.removeEventListener('abort', drop)
  }
}
