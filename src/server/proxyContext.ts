import { cookieJar } from './cookie/cookieJar'
import { createSessionSealer, type SealedToken } from './cookie/sessionSealer'
import { inFlight } from './inFlight'
import { createObserver } from './observe/observer'
import type { Watch } from './observe/telemetry'
import type { MindbodyProxyOptions } from './proxyOptions'
import { createProxySessions } from './proxySessions'
import { proxySettings } from './proxySettings'
import { refuse, withCookie } from './responses'
import { createUpstream } from './upstream'
import { sessionKeeping } from './sessionKeeping'
import { deskParts } from './desk/deskParts'

/** What every route of the proxy shares: its settings, the cookie, the sessions and the upstream. */
export type ProxyContext = ReturnType<typeof createProxyContext>

/**
 * Checks the options and fills in their defaults; throws a clear error, naming the option but never
 * its value, for a proxy that cannot work. `preferred` is the fetch upstream calls use when the
 * options give none (`toNodeHandler` sets it); the global one otherwise.
 */
export function createProxyContext(options: MindbodyProxyOptions, preferred: () => typeof fetch | undefined) {
  const sealer = createSessionSealer(options.secret)
  const settings = proxySettings(options)
  const jar = cookieJar(settings, sealer)
  // A given fetch always wins. The global one is looked up at each call, so a fetch instrumented or
  // polyfilled after start-up is the one used.
  const send = ((input, init) => (options.fetch ?? preferred() ?? fetch)(input, init)) as typeof fetch
  const observer = createObserver(options, settings)
  const { apiKey, upstreamTimeoutMs } = settings
  const upstream = createUpstream(apiKey, settings.upstream, send, upstreamTimeoutMs, observer?.tap)
  /** Revokes `sealed`'s token at Mindbody, to the end whatever the browser does, within the deadline. */
  const revokeUpstream = (sealed: SealedToken, watch?: Watch) =>
    upstream.read(`/public/v${sealed.version}/usertoken/revoke`, {
      method: 'DELETE',
      siteId: sealed.siteId,
      token: sealed.AccessToken,
      userId: sealed.User?.Id,
      watch,
    })
  const sessions = createProxySessions(options.session, {
    revokeUpstream,
    cleared: (sealed) => kept.cleared(sealed),
    forgetOpened: sealer.forget,
    identity: sealer.identity,
    storeTimeoutMs: settings.storeTimeoutMs,
  })
  const { desks, keeper } = deskParts(options, {
    settings,
    sealer,
    sessions,
    revokeUpstream,
    clear: jar.clear,
  })
  const kept = sessionKeeping(jar, sessions, keeper)
  return {
    ...settings,
    upstream,
    identity: sealer.identity,
    revokeUpstream,
    clear: jar.clear,
    opened: jar.opened,
    remembered: jar.remembered,
    sessions,
    /** With the `desk` option: the desks, and the sessions kept at them. */
    desks,
    keeper,
    /** Spans, counters, events and the call meter, or `undefined` when none of them is on. */
    observer,
    meter: observer?.meter,
    /** Unless `shareGets: false`: identical GETs of one session in flight at once, sent once. */
    shared: options.shareGets === false ? undefined : inFlight(),
    ...kept,
    /** 401 with the cookie cleared. */
    signedOut: (siteId: string) =>
      withCookie(refuse(401, 'Not signed in.', 'Unauthorized'), jar.clear(siteId)),
  }
}
