import { http } from 'msw'
// The handler only, not the entry: the entry's Node adapter must not reach a browser bundle.
import { createMindbodyProxy } from '../src/server/createMindbodyProxy'
import type { MindbodyProxyOptions } from '../src/server/proxyOptions'
import { SET_COOKIE } from '../src/server/responses'

export const PROXY_SECRET = 'a-test-secret-that-is-long-enough-0123456789'

/**
 * The real `/server` proxy behind MSW at `/mindbody`, for tests and the offline demo, with a cookie jar
 * standing in for the browser's (a service worker's answers cannot set cookies):
 * it sends the jar's cookies with each request and keeps what `Set-Cookie` answers, HttpOnly ones
 * included. Upstream, the proxy's `fetch` reaches whatever MSW serves for Mindbody.
 */
export function proxyInPage(options: Partial<MindbodyProxyOptions> = {}) {
  const jar = new Map<string, string>()
  const proxy = createMindbodyProxy({
    apiKey: 'server-side-key',
    secret: PROXY_SECRET,
    siteIds: [-99],
    secure: false,
    ...options,
  })
  const handler = http.all(`*${proxy.basePath}/*`, async ({ request }) => {
    const headers = new Headers(request.headers)
    if (jar.size) headers.set('Cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
    // jsdom sends neither Origin nor Sec-Fetch-Site on same-origin XHR, and a service worker's copy of
    // the request drops them; a browser's request to a real proxy carries them.
    headers.set('Sec-Fetch-Site', 'same-origin')
    // A browser drops Sec-Fetch-Site from any Request a script builds, so the copy carries a plain
    // Headers object (which keeps it) in place of its own.
    const copy = new Request(request)
    Object.defineProperty(copy, 'headers', { value: headers })
    const response = await proxy(copy)
    const setCookie = (response as Response & { [SET_COOKIE]?: string })[SET_COOKIE]
    for (const line of setCookie ? [setCookie] : []) {
      const [pair] = line.split(';')
      const name = pair!.slice(0, pair!.indexOf('='))
      if (/Max-Age=0/.test(line)) jar.delete(name)
      else jar.set(name, pair!.slice(name.length + 1))
    }
    return response
  })
  return { handler, jar, proxy }
}
