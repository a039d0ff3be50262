// @vitest-environment node
import { QueryClient } from '@tanstack/react-query'
import { renderToString } from 'react-dom/server'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  MindbodyProvider,
  UserTokenGate,
  useIdleTimeout,
  useIssueToken,
  useMindbodyClient,
  useMindbodyConfig,
  useRenewToken,
  useRevokeToken,
  useUserToken,
  type MindbodyProviderProps,
} from '../../src'

function Status() {
  const { isRestoring, isAuthenticated } = useUserToken()
  return <p>{isRestoring ? 'restoring' : isAuthenticated ? 'signed in' : 'signed out'}</p>
}

const html = (props: Partial<MindbodyProviderProps>, reader: ReactNode = <Status />) =>
  renderToString(
    <MindbodyProvider
      {...({ siteId: -99, queryClient: new QueryClient(), ...props } as MindbodyProviderProps)}
    >
      {reader}
      <UserTokenGate fallback={<p>sign-in form</p>} restoring={<p>loading</p>}>
        <p>portal</p>
      </UserTokenGate>
    </MindbodyProvider>,
  )

describe('server rendering', () => {
  it('renders in Node, with no window, as signed out with memory storage', () => {
    expect(typeof window).toBe('undefined')
    expect(html({})).toBe('<p>signed out</p><p>sign-in form</p>')
  })

  it('renders the restoring state when the token may be stored in the browser', () => {
    expect(html({ storage: 'local', autoRenew: {} })).toBe('<p>restoring</p><p>loading</p>')
  })
})

describe('a render reads no clock and draws no random number', () => {
  afterEach(() => vi.restoreAllMocks())

  /**
   * Next.js with `cacheComponents` (create-next-app's default) refuses a Client Component that reads
   * `Date.now()`, `new Date()`, `Math.random()` or crypto's random values while it renders, outside
   * `<Suspense>`: every route under the provider fails to build. Each is watched while the provider, the
   * gate and every hook render as a layout and its pages render them.
   */
  const watched = () => ({
    'Math.random': vi.spyOn(Math, 'random'),
    'Date.now': vi.spyOn(Date, 'now'),
    'crypto.getRandomValues': vi.spyOn(crypto, 'getRandomValues'),
    'crypto.randomUUID': vi.spyOn(crypto, 'randomUUID'),
  })
  /** Every `new Date()` and `Date()`, counted. */
  const watchDates = () => {
    const RealDate = Date
    const made: unknown[] = []
    vi.spyOn(globalThis, 'Date').mockImplementation(function (...args: unknown[]) {
      made.push(args)
      return new RealDate(...(args as []))
    } as unknown as () => string)
    return made
  }
  /** Every hook of the root entry, as a portal's components call them while they render. */
  function EveryHook() {
    useMindbodyClient()
    useIssueToken()
    useRevokeToken()
    useRenewToken()
    useIdleTimeout()
    useMindbodyConfig()
    useUserToken()
    return null
  }

  it.each<[string, Partial<MindbodyProviderProps>]>([
    [
      'token mode, stored, with auto-renew and an idle limit',
      { storage: 'local', autoRenew: {}, idle: { timeoutMs: 60_000 } },
    ],
    [
      'server mode, with revalidation and an idle limit',
      { mode: 'server', baseURL: '/mindbody', idle: { timeoutMs: 60_000 } },
    ],
    ['its own QueryClient', { queryClient: undefined, storage: 'session', autoRenew: {} }],
  ])('%s', (_, props) => {
    const spies = watched()
    const dates = watchDates()
    const out = html(props as Partial<MindbodyProviderProps>, <EveryHook />)
    expect(out).toMatch(/loading|sign-in form/)
    const calls = Object.entries(spies).map(([name, spy]) => `${name}: ${spy.mock.calls.length}`)
    expect(calls).toEqual(Object.keys(spies).map((name) => `${name}: 0`))
    expect(dates, 'new Date()').toEqual([])
  })
})
