import { expiresAt } from '../core/expiresAt'
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

const DAY = 24 * 60 * 60 * 1000

/** Until when a cookie for `token` lasts: its expiry, or a day when that is unknown or near. */
function untilOf(token: SealedToken) {
  const expiry = expiresAt(token)
  return expiry !== null && expiry > Date.now() + 60_000 ? expiry : Date.now() + DAY
}

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
    clear: jar.clear,
    forgetOpened: sealer.forget,
    identity: sealer.identity,
    storeTimeoutMs: settings.storeTimeoutMs,
  })
  return {
    ...settings,
    upstream,
    identity: sealer.identity,
    revokeUpstream,
    clear: jar.clear,
    opened: jar.opened,
    remembered: jar.remembered,
    sessions,
    /** Spans, counters, events and the call meter, or `undefined` when none of them is on. */
    observer,
    meter: observer?.meter,
    /** Unless `shareGets: false`: identical GETs of one session in flight at once, sent once. */
    shared: options.shareGets === false ? undefined : inFlight(),
    /** A new sign-in's `Set-Cookie`, sealing `token` until its expiry; with a store, its record is created. */
    async seal(token: SealedToken) {
      const until = untilOf(token)
      await sessions.create(token, until)
      return jar.sealed(token, until)
    },
    /**
     * The `Set-Cookie` for a session's changed `token` (renewed, or active), or `null` when its
     * session was revoked meanwhile: with a store, only a record that still exists is updated.
     */
    async reseal(token: SealedToken) {
      const until = untilOf(token)
      return (await sessions.update(token, until)) ? jar.sealed(token, until) : null
    },
    /** 401 with the cookie cleared. */
    signedOut: (siteId: string) =>
      withCookie(refuse(401, 'Not signed in.', 'Unauthorized'), jar.clear(siteId)),
  }
}
