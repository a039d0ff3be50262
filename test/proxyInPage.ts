import { http } from 'msw'
import { createMindbodyProxy, type MindbodyProxyOptions } from '../src/server'

export const PROXY_SECRET = 'a-test-secret-that-is-long-enough-0123456789'

/**
 * The real `/server` proxy behind MSW at `/mindbody`, with a cookie jar standing in for the browser's:
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
    // jsdom sends neither Origin nor Sec-Fetch-Site on same-origin XHR; a browser sends the latter.
    headers.set('Sec-Fetch-Site', 'same-origin')
    const response = await proxy(new Request(request, { headers }))
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const name = pair!.slice(0, pair!.indexOf('='))
      if (/Max-Age=0/.test(line)) jar.delete(name)
      else jar.set(name, pair!.slice(name.length + 1))
    }
    return response
  })
  return { handler, jar }
}
