// The loopback Mindbody stand-in for the Next app test: the packed /testing mock, served over HTTP.
import { createServer } from 'node:http'
import { getResponse, http, HttpResponse } from 'msw'
import { createMockMindbody } from 'react-mindbody-user-token/testing'

const mindbody = createMockMindbody()
/** Every call to Mindbody's API, with the API key it came with: only the server may have added it. */
const calls = []
const handlers = [
  http.get('*/public/v6/staff/staff', ({ request }) =>
    mindbody.isValid(request.headers.get('Authorization') ?? '')
      ? HttpResponse.json({ StaffMembers: [{ FirstName: 'Ada' }, { FirstName: 'Grace' }] })
      : HttpResponse.json({ Error: { Message: 'Invalid token.', Code: 'DeniedAccess' } }, { status: 401 }),
  ),
  http.get('*/valid-tokens', () => HttpResponse.json(mindbody.validTokens())),
  http.get('*/calls', () => HttpResponse.json(calls)),
  ...mindbody.handlers,
]
const server = createServer(async (req, res) => {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  const body = chunks.length ? Buffer.concat(chunks) : undefined
  if (req.url.startsWith('/public/')) calls.push({ path: req.url, apiKey: req.headers['api-key'] ?? null })
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers: req.headers,
    body,
  })
  const response = await getResponse(handlers, request)
  if (!response || response.type === 'error') return void res.destroy()
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.end(Buffer.from(await response.arrayBuffer()))
})
server.listen(0, '127.0.0.1', () => console.log(`STAND_IN http://127.0.0.1:${server.address().port}`))
