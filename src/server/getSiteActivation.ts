import { MindbodyError } from '../core/MindbodyError'
import { httpError } from '../core/httpError'
import type { ActivationCodeResponse } from '../core/types'
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

/**
 * Asks Mindbody for a studio's activation code and link (`GET /public/v{version}/site/activationcode`,
 * with `Api-Key` and `SiteId`, no staff token): the owner opens the link to let your developer account
 * read the site's data. Call it on your server, where the API key lives. Fails with a `MindbodyError`:
 * `'invalid-input'` for bad options, `'http'` for Mindbody's refusal (its `status` and `code`),
 * `'network'`, `'aborted'`, or `'invalid-response'`; the API key never appears in one. Until the
 * studio's owner has opened the link, staff sign-ins fail, with `problem` `'site-not-activated'` when
 * Mindbody's code says so.
 *
 * @example
 * import { getSiteActivation } from 'react-mindbody-user-token/server'
 * const { ActivationLink } = await getSiteActivation({ apiKey: process.env.MINDBODY_API_KEY!, siteId: 123456 })
 * console.log(`Ask the studio's owner to open ${ActivationLink}`)
 */
export async function getSiteActivation(options: SiteActivationOptions): Promise<ActivationCodeResponse> {
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
  if (!response.ok)
    throw httpError(response.status, body, [options.apiKey], {
      'retry-after': response.headers.get('Retry-After') ?? undefined,
    })
  const { ActivationCode, ActivationLink } = (body ?? {}) as Partial<ActivationCodeResponse>
  if (typeof ActivationCode !== 'string' || typeof ActivationLink !== 'string')
    throw new MindbodyError('invalid-response', 'Invalid response: expected an activation code')
  return { ActivationCode, ActivationLink }
}
