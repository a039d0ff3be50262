import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sendResponse } from '@remix-run/node-fetch-server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMindbodyProxy } from '../../src/server'
import { socketRequest, unchunked } from './rawSocket'
import { API_KEY, SECRET } from './startProxy'
import { startStandIn } from './standIn'

/**
 * The proxy with no `origins`, in a framework that rebuilds `request.url` from its own host name, as
 * Next.js does (`http://localhost:<port>` when it listens there, `https:` when TLS or
 * `X-Forwarded-Proto` says so), whatever `Host` the browser sent. Everything over real sockets.
 */
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })
const ISSUE = '/mindbody/public/v6/usertoken/issue'

let standIn: Awaited<ReturnType<typeof startStandIn>>
let server: Server
let origin: string
let errors: ReturnType<typeof vi.spyOn>
beforeEach(async () => {
  standIn = await startStandIn()
  const proxy = createMindbodyProxy({
    apiKey: API_KEY,
    secret: SECRET,
    siteIds: [-99],
    upstream: standIn.url,
    secure: false,
  })
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers = new Headers()
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
    const scheme = String(req.headers['x-forwarded-proto']).includes('https') ? 'https' : 'http'
    const { port } = server.address() as AddressInfo
    const request = new Request(`${scheme}://localhost:${port}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    })
    await sendResponse(res, await proxy(request))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  errors = vi.spyOn(console, 'error')
})
afterEach(async () => {
  expect(errors).not.toHaveBeenCalled()
  vi.restoreAllMocks()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await standIn.close()
})

/** A sign-in as a page sends it, with `lines` for its Host, Origin and anything else; HTTP/1.1 unless `version`. */
const signIn = (lines: string[], version = '1.1') =>
  socketRequest(
    origin,
    [
      `POST ${ISSUE} HTTP/${version}`,
      ...lines,
      'X-Mindbody-Proxy: 1',
      'SiteId: -99',
      'Content-Type: application/json',
    ],
    STAFF,
  )
const messageOf = (answer: { body: string }) => JSON.parse(unchunked(answer.body)).Error.Message as string

describe("without origins, the request's own origin is the Host the browser sent", () => {
  it('signs in from the same origin though the framework named itself localhost in request.url', async () => {
    const host = new URL(origin).host
    const answer = await signIn([`Host: ${host}`, `Origin: ${origin}`])
    expect(answer.status).toBe(200)
    const cookie = answer.headers.find(([name]) => name === 'set-cookie')![1].split(';')[0]!
    const session = await socketRequest(origin, [
      'GET /mindbody/session HTTP/1.1',
      `Host: ${host}`,
      'SiteId: -99',
      `Cookie: ${cookie}`,
    ])
    expect(JSON.parse(unchunked(session.body))).toMatchObject({ User: { FirstName: 'Ada' } })
  })

  it('signs in under a public host name, in any case and with its default port written out', async () => {
    expect((await signIn(['Host: Portal.Example', 'Origin: http://portal.example'])).status).toBe(200)
    expect((await signIn(['Host: portal.example:80', 'Origin: http://portal.example'])).status).toBe(200)
  })

  it('refuses a cross-site page, and sends nothing upstream', async () => {
    for (const page of ['http://evil.example', `${origin}.evil.example`, 'null']) {
      const answer = await signIn([`Host: ${new URL(origin).host}`, `Origin: ${page}`])
      expect(answer.status).toBe(403)
      expect(messageOf(answer)).toBe('Cross-site request refused.')
    }
    // Another port of the same host is another origin.
    expect((await signIn(['Host: portal.example:8080', 'Origin: http://portal.example'])).status).toBe(403)
    expect(standIn.seen).toHaveLength(0)
  })

  it('takes the scheme from request.url, never from X-Forwarded-Proto itself', async () => {
    // A TLS-terminating proxy in front whose header the framework reads (Next.js does): the scheme matches.
    const https = ['Host: portal.example', 'Origin: https://portal.example']
    expect((await signIn([...https, 'X-Forwarded-Proto: https'])).status).toBe(200)
    // The framework saw http: an https page does not match, and the answer says what to do.
    const refused = await signIn(https)
    expect(refused.status).toBe(403)
    expect(messageOf(refused)).toMatch(/different schemes.*Set origins/)
    // An http page is not the https origin either.
    const downgraded = await signIn([
      'Host: portal.example',
      'Origin: http://portal.example',
      'X-Forwarded-Proto: https',
    ])
    expect(downgraded.status).toBe(403)
  })

  it('refuses a request with no Host, or one that names no real port, saying to set origins', async () => {
    const noHost = await signIn(['Origin: http://portal.example'], '1.0')
    expect(noHost.status).toBe(403)
    expect(messageOf(noHost)).toBe(
      'Cross-site request refused: the proxy cannot tell its own origin (no well-formed Host header). Set origins to the origins the app is served from.',
    )
    const badPort = await signIn(['Host: portal.example:99999', 'Origin: http://portal.example:99999'])
    expect(badPort.status).toBe(403)
    expect(messageOf(badPort)).toMatch(/cannot tell its own origin.*Set origins/)
    expect(standIn.seen).toHaveLength(0)
  })

  it('still lets a same-origin fetch with no Origin through on Sec-Fetch-Site, and refuses it without', async () => {
    const host = `Host: ${new URL(origin).host}`
    expect((await signIn([host, 'Sec-Fetch-Site: same-origin'])).status).toBe(200)
    expect((await signIn([host, 'Sec-Fetch-Site: cross-site'])).status).toBe(403)
  })
})
