import { bypass, http } from 'msw'
import { startProxy } from './server/startProxy'
import { server } from './server'

/**
 * The real `/server` proxy listening on a real socket, in front of whatever MSW serves for Mindbody,
 * and the page's side of it: requests the page sends to `/mindbody/…` go over that socket as a
 * browser would send them (its cookie jar, `Sec-Fetch-Site: same-origin`), which jsdom cannot do itself.
 */
export async function serveProxyOverSocket() {
  const proxy = await startProxy('https://api.mindbodyonline.com')
  const jar = new Map<string, string>()
  /** What reached the proxy's socket: method, path and query, and the headers as sent. */
  const sent: Array<{ method: string; url: string; headers: Headers }> = []
  server.use(
    http.all('*/mindbody/*', async ({ request }) => {
      const { pathname, search } = new URL(request.url)
      const headers = new Headers(request.headers)
      headers.set('Sec-Fetch-Site', 'same-origin')
      if (jar.size) headers.set('Cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
      const body = /GET|HEAD/.test(request.method) ? undefined : await request.arrayBuffer()
      const url = `${proxy.origin}${pathname}${search}`
      sent.push({ method: request.method, url: `${pathname}${search}`, headers })
      const answer = await fetch(bypass(new Request(url, { method: request.method, headers, body })))
      for (const line of answer.headers.getSetCookie()) {
        const [pair = ''] = line.split(';')
        const name = pair.slice(0, pair.indexOf('='))
        if (/Max-Age=0/i.test(line)) jar.delete(name)
        else jar.set(name, pair.slice(name.length + 1))
      }
      const kept = new Headers(answer.headers)
      kept.delete('Set-Cookie')
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers: kept })
    }),
  )
  return { jar, sent, close: proxy.close }
}
