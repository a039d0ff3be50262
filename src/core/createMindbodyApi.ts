import type { AxiosInstance } from 'axios'
import { need } from './validate'
import { MindbodyError } from './MindbodyError'
import type { MindbodyApi, MindbodyMethod } from './MindbodyApi'

interface Sent {
  path?: Record<string, string | number>
  query?: object
  body?: unknown
  signal?: AbortSignal
}

/** A path as the description writes it: segments of letters, digits and `{parameter}`s, none `.` or `..`. */
const described = /^(?:\/[\w{}-][\w.{}-]*)+$/

/**
 * The typed client over `client` (which adds the site, the token and the error rule): each call is one
 * request of `client`, `{parameter}`s of its path filled in (encoded), its query sent as Mindbody reads
 * a list (`request.ids=1&request.ids=2`). A path not written as the description writes its paths, or a
 * missing path parameter, is refused with `'invalid-input'` before anything is sent. An empty answer
 * (a 204) resolves to `undefined`.
 */
export function createMindbodyApi(client: AxiosInstance, queryKey: readonly unknown[]): MindbodyApi {
  const call =
    (method: MindbodyMethod) =>
    async (path: string, { path: values, query, body, signal }: Sent = {}) => {
      need(typeof path === 'string' && described.test(path), 'path')
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = values?.[name]
        need(typeof value === 'number' || (typeof value === 'string' && value !== ''), `path.${name}`)
        return encodeURIComponent(value)
      })
      const answer = await client.request({
        method,
        url,
        params: query,
        paramsSerializer: { indexes: null },
        data: body,
        signal,
      })
      // Every answer the description gives is JSON: text is a page where an answer should be.
      if (typeof answer.data !== 'string') return answer.data
      if (answer.data === '') return undefined
      throw new MindbodyError(
        'invalid-response',
        `Mindbody's answer to ${method.toUpperCase()} ${path} is not JSON`,
      )
    }
  return {
    get: call('get'),
    post: call('post'),
    put: call('put'),
    patch: call('patch'),
    delete: call('delete'),
    queryKey,
  } as MindbodyApi
}
