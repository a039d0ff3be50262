import { describe, expect, it } from 'vitest'
import * as root from '../src'
import * as testing from '../src/testing'

describe('public exports', () => {
  it('are exactly these', () => {
    expect(Object.keys(root).sort()).toEqual([
      'MindbodyError',
      'MindbodyProvider',
      'UserTokenGate',
      'createUserTokenApi',
      'isMindbodyError',
      'issueTokenMutationOptions',
      'mindbodyMutationOptions',
      'mindbodyQueryOptions',
      'renewTokenMutationOptions',
      'revokeTokenMutationOptions',
      'staffPermissionsQueryOptions',
      'useApproval',
      'useDesk',
      'useIdleTimeout',
      'useIssueToken',
      'useMindbodyApi',
      'useMindbodyClient',
      'useMindbodyConfig',
      'useRenewToken',
      'useRevokeToken',
      'useStaffPermissions',
      'useStaffSessions',
      'useUserToken',
      'userTokenKeys',
      'userTokenQueryOptions',
    ])
    expect(Object.keys(testing).sort()).toEqual([
      'createMockMindbody',
      'createSharedStorage',
      'demoStaff',
      'serveMockMindbody',
    ])
  })

  it('recognise their own errors', () => {
    const error = new root.MindbodyError('http', 'Nope.', { status: 401, code: 'DeniedAccess' })
    expect(root.isMindbodyError(error)).toBe(true)
    expect(root.isMindbodyError(new Error('Nope.'))).toBe(false)
    expect(error.toJSON()).toEqual({
      name: 'MindbodyError',
      kind: 'http',
      message: 'Nope.',
      status: 401,
      code: 'DeniedAccess',
      details: undefined,
    })
  })
})
