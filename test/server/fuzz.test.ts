import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PAGE_ORIGIN as APP, pageRequest } from './rawSocket'
import { startProxy } from './startProxy'
import { startStandIn } from './standIn'

/**
 * A seeded fuzz of raw requests: paths of random segments in random encodings, random methods, and
 * random duplicated headers, over a real socket in front of a stand-in that decodes paths as a server
 * may. Whatever arrives: no answer is a 5xx, nothing is logged, no answer holds a token, and nothing
 * whose decoded path names `usertoken` reaches upstream but through the proxy's own token routes.
 */
const SEED = Number(process.env.FC_SEED ?? 20261201)
const RUNS = Number(process.env.FC_RUNS ?? 500)

let standIn: Awaited<ReturnType<typeof startStandIn>>
let proxy: Awaited<ReturnType<typeof startProxy>>
let cookie = ''
const issued: string[] = []
beforeAll(async () => {
  standIn = await startStandIn()
  proxy = await startProxy(standIn.url, { origins: [APP] })
  const answer = await pageRequest(
    proxy.origin,
    'POST',
    '/mindbody/public/v6/usertoken/issue',
    [],
    JSON.stringify({ Username: 'demo.staff', Password: 'demo-password' }),
  )
  cookie = answer.headers.find(([name]) => name === 'set-cookie')![1].split(';')[0]!
  issued.push(...standIn.mindbody.validTokens())
})
afterAll(async () => {
  await proxy.close()
  await standIn.close()
})

/** One character, as sent: mostly itself, else percent-encoded in either case, or double-encoded. */
const encoded = (char: string) => {
  if (char === '/') return fc.constant(char)
  const hex = char.charCodeAt(0).toString(16).padStart(2, '0')
  return fc.oneof(
    { arbitrary: fc.constant(char), weight: 30 },
    { arbitrary: fc.constantFrom(`%${hex}`, `%${hex.toUpperCase()}`, `%25${hex}`), weight: 1 },
  )
}
const word = (text: string) => fc.tuple(...[...text].map(encoded)).map((chars) => chars.join(''))
const junk = fc.constantFrom(
  '..',
  '.',
  '',
  '%2e%2e',
  '%2E',
  '..;',
  ';x',
  '%2f',
  '%5c',
  '\\',
  '%u002e',
  '%c0%ae',
  '%',
  '%%37%35',
  'caf%C3%A9',
)
const segment = fc.oneof(
  {
    arbitrary: fc
      .constantFrom('usertoken', 'UserToken', 'issue', 'renew', 'revoke', 'session', 'staff', 'sites')
      .chain(word),
    weight: 8,
  },
  { arbitrary: junk, weight: 1 },
)
/** Real routes, each character maybe encoded. */
const route = fc
  .constantFrom(
    'public/v6/staff/staff',
    'public/v6/usertoken/renew',
    'public/v6/usertoken/issue',
    'public/v6/usertoken/revoke',
    'session',
  )
  .chain(word)
  .map((rest) => `/mindbody/${rest}`)
const built = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.constantFrom('/mindbody/public/v6/', '/mindbody/'), weight: 8 },
      { arbitrary: fc.constantFrom('/x/../mindbody/', '/mindbody', '/'), weight: 1 },
    ),
    fc.array(segment, { minLength: 1, maxLength: 3 }),
  )
  .map(([base, segments]) => base + segments.join('/'))
const path = fc.oneof(route, built)
const method = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST', 'DELETE'), weight: 6 },
  { arbitrary: fc.constantFrom('PUT', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND'), weight: 1 },
)
const extraHeaders = fc.oneof(
  { arbitrary: fc.constant([] as string[]), weight: 3 },
  {
    arbitrary: fc.subarray([
      'Cookie: mindbody-session.-99=planted',
      'Host: evil.test',
      'SiteId: 1234',
      'Origin: http://evil.test',
      'X-Forwarded-For: 1.2.3.4',
    ]),
    weight: 1,
  },
)

const TOKEN_ROUTE = /^\/public\/v6\/usertoken\/(issue|renew|revoke)$/

describe('the proxy under a seeded fuzz of raw requests', () => {
  it(`holds for ${RUNS} requests (seed ${SEED})`, async () => {
    const logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level),
    )
    try {
      await fc.assert(
        fc.asyncProperty(path, method, extraHeaders, fc.boolean(), async (target, verb, extra, signedIn) => {
          const before = standIn.seen.length
          const answer = await pageRequest(
            proxy.origin,
            verb,
            target,
            [...(signedIn ? [`Cookie: ${cookie}`] : []), ...extra],
            verb === 'POST' ? '{}' : '',
          )
          expect(answer.status).toBeGreaterThanOrEqual(200)
          expect(answer.status).toBeLessThan(500)
          for (const token of [...issued, ...standIn.mindbody.validTokens()])
            expect(answer.text).not.toContain(token)
          for (const seen of standIn.seen.slice(before))
            if (/usertoken/i.test(seen.decoded)) {
              expect(seen.path).toMatch(TOKEN_ROUTE)
              expect(seen.method).toBe(seen.path.endsWith('revoke') ? 'DELETE' : 'POST')
            }
        }),
        { seed: SEED, numRuns: RUNS },
      )
      for (const spy of logged) expect(spy).not.toHaveBeenCalled()
    } finally {
      vi.restoreAllMocks()
    }
  }, 120_000)
})
