import { MindbodyError } from '../core/MindbodyError'
import { retryAfterMs } from '../core/retryAfter'
import { isHeaderValue } from '../core/validate'
import { readBody, readJson } from './readBody'

/**
 * Options of `getSiteActivation`.
 *
 * @example
 * const options: SiteActivationOptions = { apiKey: process.env.MINDBODY_API_KEY!, siteId: 123456 }
 */
export interface SiteActivationOptions {
  /** Your Mindbody API key, sent as `Api-Key`; it never appears in an error. */
  apiKey: string
  /** The studio's site. */
  siteId: string | number
  /** Mindbody's origin. Default `'https://api.mindbodyonline.com'`. */
  baseURL?: string
  /** The API version. Default 6. */
  version?: string | number
  /** The fetch to call with. Default: the global `fetch`. */
  fetch?: typeof fetch
  /** Cancels the call; it then rejects with an `'aborted'` error. */
  signal?: AbortSignal
}

/**
 * What `GET /site/activationcode` answers: the code, and a link to the screen where the site's owner
 * grants your developer account access to the site's data.
 *
 * @example
 * const { ActivationLink }: SiteActivation = await getSiteActivation({ apiKey, siteId: 123456 })
 */
export interface SiteActivation {
  ActivationCode: string
  ActivationLink: string
}

/** The options checked, or an `'invalid-input'` error naming the bad one (never its value). */
function requestOf({
  apiKey,
  siteId,
  baseURL = 'https://api.mindbodyonline.com',
  version = 6,
}: SiteActivationOptions) {
  const bad = (field: string) => new MindbodyError('invalid-input', `Invalid ${field}`)
  if (!isHeaderValue(apiKey)) throw bad('apiKey')
  if (!/^-?\d{1,10}$/.test(String(siteId))) throw bad('siteId')
  if (!/^[1-9]\d{0,3}$/.test(String(version))) throw bad('version')
  let base: URL
  try {
    base = new URL(baseURL)
  } catch {
    throw bad('baseURL')
  }
  if (!/^https?:$/.test(base.protocol) || base.username || base.password) throw bad('baseURL')
  const url = `${base.href.replace(/\/+$/, '')}/public/v${version}/site/activationcode`
  return { url, headers: { 'Api-Key': apiKey, SiteId: String(siteId), Accept: 'application/json' } }
}

/** The `'http'` error for Mindbody's refusal: its message and code, unless its body echoes the key. */
function refusal(response: Response, body: unknown, apiKey: string) {
  const echoed = JSON.stringify(body ?? '').includes(apiKey)
  const error = (body as { Error?: { Message?: unknown; Code?: unknown } } | undefined)?.Error
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined)
  return new MindbodyError('http', (!echoed && text(error?.Message)) || `HTTP ${response.status}`, {
    status: response.status,
    code: text(error?.Code),
    details: echoed ? undefined : body,
    retryAfterMs: retryAfterMs(response.headers.get('Retry-After') ?? undefined),
  })
}

/**
 * Asks Mindbody for a studio's activation code and link (`GET /public/v{version}/site/activationcode`,
 * with `Api-Key` and `SiteId`, no staff token): the owner opens the link to let your developer account
 * read the site's data. Call it on your server, where the API key lives. Fails with a `MindbodyError`:
 * `'invalid-input'` for bad options, `'http'` for Mindbody's refusal (its `status` and `code`),
 * `'network'`, `'aborted'`, or `'invalid-response'`; the API key never appears in one.
 *
 * @example
 * import { getSiteActivation } from 'react-mindbody-user-token/server'
 * const { ActivationLink } = await getSiteActivation({ apiKey: process.env.MINDBODY_API_KEY!, siteId: 123456 })
 * console.log(`Ask the studio's owner to open ${ActivationLink}`)
 */
export async function getSiteActivation(options: SiteActivationOptions): Promise<SiteActivation> {
  const { url, headers } = requestOf(options)
  const { signal } = options
  const aborted = () => new MindbodyError('aborted', 'Request aborted')
  let response: Response
  try {
    response = await (options.fetch ?? fetch)(url, { headers, signal, redirect: 'manual' })
  } catch {
    throw signal?.aborted
      ? aborted()
      : new MindbodyError('network', 'Network error: Mindbody could not be reached')
  }
  let body: unknown
  try {
    const read = await readBody(response, 64 * 1024)
    body = read?.length ? readJson(read) : undefined
  } catch {
    if (signal?.aborted) throw aborted()
  }
  if (!response.ok) throw refusal(response, body, options.apiKey)
  const { ActivationCode, ActivationLink } = (body ?? {}) as Partial<SiteActivation>
  if (typeof ActivationCode !== 'string' || typeof ActivationLink !== 'string')
    throw new MindbodyError('invalid-response', 'Invalid response: expected an activation code')
  return { ActivationCode, ActivationLink }
}
