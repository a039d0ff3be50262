import type { cookieJar } from './cookie/cookieJar'
import type { SealedToken } from './cookie/sessionSealer'
import type { DeskCall } from './desk/createDesks'
import type { DeskKeeper } from './desk/deskKeeper'
import type { createProxySessions } from './proxySessions'
import { tokenUntil } from './tokenUntil'

/**
 * Where a session is kept, chosen once: sealed in the browser's cookie, or with the `desk` option at
 * its desk in the session store (`keeper`), the cookie then a pass to the desk.
 */
export function sessionKeeping(
  jar: ReturnType<typeof cookieJar>,
  sessions: ReturnType<typeof createProxySessions>,
  keeper: DeskKeeper | undefined,
) {
  return {
    /**
     * A new sign-in's `Set-Cookie`, sealing `token` until its expiry, and the session as it is kept;
     * with a desk, the desk's pass, and the desk (or its refusal). With a store, its record is created.
     */
    async seal(token: SealedToken, desk: DeskCall | undefined, limitKey: string) {
      const until = tokenUntil(token)
      if (keeper) return keeper.admit(desk, token, until, limitKey)
      await sessions.create(token, until)
      return { cookie: await jar.sealed(token, until), sealed: token, record: undefined }
    },
    /**
     * The `Set-Cookie` for a session's changed `token` (renewed, or active; at a desk, which keeps the
     * token, the desk's pass, made to last as long as the desk), or `null` when its session was
     * revoked meanwhile, or has left its desk: with a store, only a record that still exists is updated.
     */
    async reseal(token: SealedToken): Promise<string | null> {
      const until = tokenUntil(token)
      if (!(await sessions.update(token, until))) return null
      return token.desk ? keeper!.update(token, until) : jar.sealed(token, until)
    },
    /** The `Set-Cookie`, if any, that forgets `sealed`'s session here: off its desk, or its cookie cleared. */
    cleared: async (sealed: SealedToken) => (sealed.desk ? keeper!.drop(sealed) : jar.clear(sealed.siteId)),
  }
}
