import type { UseMutationResult, QueryClient } from '@tanstack/react-query'
import type { AxiosInstance } from 'axios'
import { describe, expectTypeOf, it } from 'vitest'
import {
  createUserTokenApi,
  issueTokenMutationOptions,
  renewTokenMutationOptions,
  MindbodyError,
  useIssueToken,
  useMindbodyClient,
  useRenewToken,
  useRevokeToken,
  useUserToken,
  useApproval,
  useDesk,
  userTokenKeys,
  userTokenQueryOptions,
  type IssueRequest,
  type IssueResponse,
  type IssueTokenVariables,
  type MindbodyErrorKind,
  type MindbodyProviderProps,
  type SignOutReason,
  type UserTokenApi,
  type UseUserTokenResult,
  type UserType,
  type ApproveInput,
  type DeskCredentials,
  type DeskStaff,
  type PendingApproval,
  type UseApprovalResult,
  type UseDeskResult,
} from '../../src'

describe('public types', () => {
  it('useIssueToken takes a request and keeps only the username', () => {
    const signIn = useIssueToken({
      retry: 2,
      onSuccess: (token, variables) => {
        expectTypeOf(token).toEqualTypeOf<IssueResponse>()
        expectTypeOf(variables).toEqualTypeOf<IssueTokenVariables>()
      },
    })
    expectTypeOf(signIn.mutate).parameter(0).toEqualTypeOf<IssueRequest>()
    expectTypeOf(signIn.mutateAsync).returns.toEqualTypeOf<Promise<IssueResponse>>()
    expectTypeOf(signIn.error).toEqualTypeOf<MindbodyError | null>()
    expectTypeOf(signIn.variables).toEqualTypeOf<IssueTokenVariables | undefined>()
    // @ts-expect-error the password is never kept in variables
    signIn.variables?.Password
    // @ts-expect-error the library owns mutationFn
    useIssueToken({ mutationFn: async () => ({ AccessToken: 'x' }) })
  })

  it('the option factories take the QueryClient in an optional options object', () => {
    type Factory = [config: Parameters<typeof createUserTokenApi>[0], options?: { queryClient?: QueryClient }]
    expectTypeOf(issueTokenMutationOptions).parameters.toEqualTypeOf<Factory>()
    expectTypeOf(userTokenQueryOptions).parameters.toEqualTypeOf<Factory>()
    expectTypeOf(renewTokenMutationOptions).parameters.toEqualTypeOf<Factory>()
  })

  it('useRevokeToken is a void mutation', () => {
    expectTypeOf(useRevokeToken()).toEqualTypeOf<UseMutationResult<void, MindbodyError, void>>()
  })

  it('the lifecycle hooks have the documented shapes', () => {
    expectTypeOf(useRenewToken()).toEqualTypeOf<UseMutationResult<IssueResponse, MindbodyError, void>>()
    expectTypeOf(useMindbodyClient()).toEqualTypeOf<AxiosInstance>()
    expectTypeOf(useUserToken().signOutReason).toEqualTypeOf<SignOutReason | null>()
    expectTypeOf<SignOutReason>().toEqualTypeOf<
      'revoked' | 'expired' | 'unauthorized' | 'renew-failed' | 'other-tab' | 'idle' | 'absolute' | 'locked'
    >()
    expectTypeOf<MindbodyProviderProps['autoRenew']>().toEqualTypeOf<
      boolean | { beforeExpiryMs?: number } | undefined
    >()
  })

  it('useUserToken and the core have the documented shapes', () => {
    expectTypeOf(useUserToken()).toEqualTypeOf<UseUserTokenResult>()
    expectTypeOf(useUserToken().expiresAt).toEqualTypeOf<Date | null>()
    expectTypeOf(createUserTokenApi({ siteId: 1 })).toEqualTypeOf<UserTokenApi>()
    expectTypeOf<UserType>().toEqualTypeOf<'Staff' | 'Owner' | 'Admin' | (string & {})>()
    // Any type Mindbody adds is accepted, so the type never lies about a run-time value.
    expectTypeOf<'Manager'>().toExtend<UserType>()
    expectTypeOf<IssueResponse>().toExtend<Parameters<UserTokenApi['renew']>[0]>()
    expectTypeOf<MindbodyErrorKind>().toEqualTypeOf<
      'invalid-input' | 'http' | 'network' | 'timeout' | 'aborted' | 'invalid-response'
    >()
    expectTypeOf<MindbodyProviderProps['queryClient']>().toEqualTypeOf<QueryClient | undefined>()
    expectTypeOf(userTokenKeys.token({ siteId: 1 })).toEqualTypeOf<
      readonly ['mindbody-user-token', string, string, string]
    >()
  })

  it('the front desk hooks have the documented shapes', () => {
    const desk = useDesk()
    expectTypeOf(desk).toEqualTypeOf<UseDeskResult>()
    expectTypeOf(desk.staff).toEqualTypeOf<DeskStaff[]>()
    expectTypeOf(desk.active).toEqualTypeOf<DeskStaff | null>()
    expectTypeOf(desk.unlock).parameter(0).toEqualTypeOf<DeskCredentials>()
    expectTypeOf(desk.unlock).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf(desk.endShift).parameters.toEqualTypeOf<[userId?: number | null]>()
    expectTypeOf<DeskCredentials>().toEqualTypeOf<{ userId: number | null; pin: string }>()
    // @ts-expect-error a PIN is a string of digits, never a number
    void desk.setPin(4711)
    const approval = useApproval()
    expectTypeOf(approval).toEqualTypeOf<UseApprovalResult>()
    expectTypeOf(approval.pending).toEqualTypeOf<PendingApproval | null>()
    expectTypeOf(approval.approve).parameter(0).toEqualTypeOf<ApproveInput>()
    expectTypeOf<MindbodyProviderProps['idle']>().toEqualTypeOf<
      { timeoutMs: number; warnBeforeMs?: number; action?: 'sign-out' | 'lock' } | undefined
    >()
  })
})
