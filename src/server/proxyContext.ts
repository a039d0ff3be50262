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
import { tokenUntil } from './tokenUntil'
import { createDesks } from './desk/createDesks'
import { deskKeeper } from './desk/deskKeeper'
import { deskSettings } from './desk/deskOptions'
import type { ProxyCall } from './readCall'
import type { SessionStore } from './stores/types'

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
  const desk = deskSettings(options.desk, options.approvals, options.session?.store)
  /** Where a session ends here: off its desk, or its cookie cleared. */
  const cleared = async (sealed: SealedToken) =>
    sealed.desk ? keeper!.drop(sealed) : jar.clear(sealed.siteId)
  const sessions = createProxySessions(options.session, {
    revokeUpstream,
    cleared,
    forgetOpened: sealer.forget,
    identity: sealer.identity,
    storeTimeoutMs: settings.storeTimeoutMs,
  })
  const endSession = async (sealed: SealedToken) => (await sessions.forget(sealed)) && revokeUpstream(sealed)
  const desks =
    desk &&
    createDesks({
      settings: desk,
      cookie: settings,
      sealer,
      store: sessions.store as Required<SessionStore>,
      endSession,
    })
  const keeper =
    desks &&
    deskKeeper(desks, { create: sessions.create, forget: sessions.forget, revokeUpstream, clear: jar.clear })
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
    cleared,
    endSession,
    /** Spans, counters, events and the call meter, or `undefined` when none of them is on. */
    observer,
    meter: observer?.meter,
    /** Unless `shareGets: false`: identical GETs of one session in flight at once, sent once. */
    shared: options.shareGets === false ? undefined : inFlight(),
    /**
     * A new sign-in's `Set-Cookie`, sealing `token` until its expiry, and the session as it is kept;
     * with a desk, the desk's pass, and the desk (or its refusal). With a store, its record is created.
     */
    async seal(token: SealedToken, call: ProxyCall, limitKey: string) {
      const until = tokenUntil(token)
      if (keeper) return keeper.admit(call, token, until, limitKey)
      await sessions.create(token, until)
      return { cookie: await jar.sealed(token, until), sealed: token, record: undefined }
    },
    /**
     * The `Set-Cookie` for a session's changed `token` (renewed, or active; `undefined` at a desk,
     * which keeps it), or `null` when its session was revoked meanwhile: with a store, only a record
     * that still exists is updated.
     */
    async reseal(token: SealedToken): Promise<string | undefined | null> {
      const until = tokenUntil(token)
      if (!(await sessions.update(token, until))) return null
      if (!token.desk) return jar.sealed(token, until)
      return (await keeper!.update(token, until)) ? undefined : null
    },
    /** 401 with the cookie cleared. */
    signedOut: (siteId: string) =>
      withCookie(refuse(401, 'Not signed in.', 'Unauthorized'), jar.clear(siteId)),
  }
}
