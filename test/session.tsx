import {
  useIssueToken,
  useMindbodyClient,
  useRenewToken,
  useRevokeToken,
  useUserToken,
  type UserTokenStorage,
} from '../src'

/** Every hook a staff portal uses, in one, for lifecycle tests. */
export const useSession = () => ({
  signIn: useIssueToken(),
  signOut: useRevokeToken(),
  renew: useRenewToken(),
  state: useUserToken(),
  client: useMindbodyClient(),
})

/**
 * One storage shared by several "tabs": each tab gets its own view, and a write in one notifies the
 * others (never the writer), as the browser's `storage` event does.
 */
export function sharedStorage() {
  const data = new Map<string, string>()
  const views: Array<{ key: string; listener: (value: string | null) => void; view: object }> = []
  const notify = (view: object, key: string, value: string | null) =>
    views.filter((s) => s.view !== view && s.key === key).forEach((s) => s.listener(value))
  const tab = (): UserTokenStorage => {
    const view: UserTokenStorage = {
      getItem: (key) => data.get(key) ?? null,
      setItem(key, value) {
        data.set(key, value)
        notify(view, key, value)
      },
      removeItem(key) {
        data.delete(key)
        notify(view, key, null)
      },
      subscribe(key, listener) {
        const entry = { key, listener, view }
        views.push(entry)
        return () => void views.splice(views.indexOf(entry), 1)
      },
    }
    return view
  }
  return { data, tab }
}
