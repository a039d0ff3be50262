import { quietly } from './quietly'
import type { PageRecord } from './pageRecord'
import type { UserTokenStorage } from './userTokenStorage'

/**
 * The claim that lets one provider at a time auto-renew: `"<until> <owner>"`, first on the page's
 * record (taken at once, so two providers of one page never both renew), then under `key` in the
 * storage every tab shares. A provider may renew while nobody else's claim is live; it holds its
 * claim across its retries, and a claim lapses by itself, but not on the page while its renewal is
 * in flight. Without storage, the page's claim decides. The owner's id is drawn when a claim is first
 * taken, never while the provider renders: Next.js's prerender refuses a render that draws a random
 * number.
 */
export function createRenewClaim(
  page: PageRecord['renew'],
  storage: () => UserTokenStorage | undefined,
  key: string,
) {
  let id: string | undefined
  const me = () => (id ??= Math.random().toString(36).slice(2))
  const isOthers = (claim: unknown) => {
    const [until, owner] = String(claim).split(' ')
    return owner !== me() && Number(until) > Date.now()
  }
  const hold = (until: number) => {
    page.claim = `${until} ${me()}`
    return quietly(() => storage()?.setItem(key, page.claim!))
  }
  return {
    hold,
    /** Takes the claim until `until`, unless another provider or tab holds a live one. */
    async take(until: number): Promise<boolean> {
      if (page.request || isOthers(page.claim)) return false
      page.claim = `${until} ${me()}`
      if (isOthers(await quietly(() => storage()?.getItem(key)))) return false
      await hold(until)
      return true
    },
  }
}
