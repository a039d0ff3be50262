import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startOpenTelemetry } from './otelHarness'
import { pageCall, startProxy } from './startProxy'
import { startStandIn } from './standIn'

/**
 * OpenTelemetry from the proxy, with the real SDK registered as an app registers it: a server span
 * per request named by its route, a client span per Mindbody call beneath it, their attributes, and
 * the counters. Then the proxy with the package really absent.
 */
const TOKEN = '/mindbody/public/v6/usertoken'
const STAFF = JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' })

let standIn: Awaited<ReturnType<typeof startStandIn>>
beforeEach(async () => void (standIn = await startStandIn()))
afterEach(async () => standIn.close())

describe('OpenTelemetry', () => {
  it('traces each request by its route, with the Mindbody calls as its children, and counts', async () => {
    const otel = startOpenTelemetry()
    const proxy = await startProxy(standIn.url, { openTelemetry: otel.openTelemetry })
    const call = pageCall(proxy.origin)
    const signedIn = await call(`${TOKEN}/issue`, undefined, { method: 'POST', body: STAFF })
    const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!
    for (let i = 0; i < 2; i++) await (await call('/mindbody/public/v6/staff/staff?limit=1', cookie)).text()
    await fetch(`${proxy.origin}${TOKEN}/renew`, {
      method: 'POST',
      headers: { SiteId: '-99', Cookie: cookie },
    })

    const spans = otel.spans()
    const server = spans.filter((s) => s.kind === 1)
    expect(server.map((s) => s.name)).toEqual([
      'POST /mindbody/public/v{n}/usertoken/issue',
      'GET /mindbody/public/v{n}/staff/staff',
      'GET /mindbody/public/v{n}/staff/staff',
      'POST /mindbody/public/v{n}/usertoken/renew',
    ])
    const childrenOf = (parent: (typeof spans)[number]) =>
      spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId)
    const [issue, first, second, refused] = server
    expect(childrenOf(issue!).map((s) => [s.name, s.kind])).toEqual([
      ['POST /public/v{n}/usertoken/issue', 2],
      ['GET /public/v{n}/staff/staffpermissions', 2],
    ])
    expect(childrenOf(issue!).every((s) => s.spanContext().traceId === issue!.spanContext().traceId)).toBe(
      true,
    )
    expect(issue!.attributes).toEqual({
      'http.request.method': 'POST',
      'http.route': '/mindbody/public/v{n}/usertoken/issue',
      'http.response.status_code': 200,
      'mindbody.site_id': '-99',
      'mindbody.cookie_cached': false,
    })
    expect(second!.attributes['mindbody.cookie_cached']).toBe(true)
    const [forwarded] = childrenOf(first!)
    expect(forwarded!.name).toBe('GET /public/v{n}/staff/staff')
    expect(forwarded!.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(standIn.url).port),
      'url.template': '/public/v{n}/staff/staff',
      'mindbody.site_id': '-99',
      'mindbody.call': 'forward',
      'http.response.status_code': 200,
    })
    expect(refused!.attributes).toMatchObject({
      'http.response.status_code': 403,
      'mindbody.refused_by': 'csrf',
    })
    expect(childrenOf(refused!)).toEqual([])

    const counters = await otel.counters()
    const site = { 'mindbody.site_id': '-99' }
    expect(counters['mindbody.proxy.upstream.calls']).toEqual(
      expect.arrayContaining([
        {
          attributes: {
            ...site,
            'mindbody.route': '/public/v{n}/usertoken/issue',
            'mindbody.call': 'sign-in',
            'http.response.status_code': 200,
          },
          value: 1,
        },
        {
          attributes: {
            ...site,
            'mindbody.route': '/public/v{n}/staff/staff',
            'mindbody.call': 'forward',
            'http.response.status_code': 200,
          },
          value: 2,
        },
      ]),
    )
    expect(counters['mindbody.proxy.sign_ins']).toEqual([
      { attributes: { ...site, 'mindbody.outcome': 'sign-in' }, value: 1 },
    ])
    expect(counters['mindbody.proxy.refusals']).toEqual([
      { attributes: { ...site, 'mindbody.check': 'csrf' }, value: 1 },
    ])
    await Promise.all([proxy.close(), otel.stop()])
  })

  it('marks a Mindbody error on the call span with its code', async () => {
    const otel = startOpenTelemetry()
    const proxy = await startProxy(standIn.url, { openTelemetry: otel.openTelemetry })
    const call = pageCall(proxy.origin)
    const wrong = JSON.stringify({ Username: 'demo.staff', Password: 'wrong' })
    expect((await call(`${TOKEN}/issue`, undefined, { method: 'POST', body: wrong })).status).toBe(403)
    const [client, server] = otel.spans()
    expect(client!.attributes).toMatchObject({ 'mindbody.error_code': 'DeniedAccess', 'error.type': '403' })
    expect(client!.status.code).toBe(2)
    expect(server!.attributes).toMatchObject({
      'mindbody.error_code': 'DeniedAccess',
      'http.response.status_code': 403,
    })
    expect(server!.status.code).toBe(0)
    await Promise.all([proxy.close(), otel.stop()])
  })

  it('is nowhere in a proxy whose app has no @opentelemetry/api: it builds, loads and serves without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-otel-'))
    const asked: string[] = []
    await build({
      entryPoints: [fileURLToPath(new URL('./absentOtel.mjs', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: join(dir, 'proxy.mjs'),
      logLevel: 'silent',
      plugins: [
        {
          name: 'no-opentelemetry',
          setup(b) {
            b.onResolve({ filter: /^@opentelemetry\// }, ({ path }) => {
              asked.push(path)
              return { errors: [{ text: `${path} is not installed` }] }
            })
          },
        },
      ],
    })
    expect(asked).toEqual([])
    expect(readFileSync(join(dir, 'proxy.mjs'), 'utf8')).not.toContain('@opentelemetry')
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [join(dir, 'proxy.mjs'), standIn.url], { cwd: dir }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    )
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual({
      absent: true,
      signIn: 200,
      staff: 200,
      events: ['sign-in'],
      calls: 3,
    })
  })
})
