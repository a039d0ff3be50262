import { useIssueToken, useMindbodyClient, useRenewToken, useRevokeToken, useUserToken } from '../src'

/** Every hook a staff portal uses, in one, for lifecycle tests. */
export const useSession = () => ({
  signIn: useIssueToken(),
  signOut: useRevokeToken(),
  renew: useRenewToken(),
  state: useUserToken(),
  client: useMindbodyClient(),
})
