import { HttpResponse, type HttpHandler } from 'msw'
import { staffPermissionNames } from '../core/staffPermissions'
import type { ActivationCodeResponse, StaffPermissionsResponse } from '../core/types'
import type { MockEndpoint, MockPermissionGroup, MockStaffUser } from './mockOptions'
import { bearer, error, invalidToken } from './mockRefusal'
import type { MockState } from './mockState'

/** How an endpoint answers a request that passed Mindbody's checks. */
export type MockAnswer = (request: Request, siteId: string, sent: unknown) => Response

/** An endpoint's MSW handler: Mindbody's checks, then `answer` over the state, then the `Date` header. */
export type MockHandle = (
  method: 'get' | 'post' | 'delete',
  endpoint: MockEndpoint,
  answer: MockAnswer,
) => HttpHandler

/** The group of a staff member the mock was given none for. */
const noGroup: MockPermissionGroup = { PermissionGroupName: 'Staff', AllowedPermissions: [] }

const answerOf = ({ PermissionGroupName, IpRestricted = false, AllowedPermissions }: MockPermissionGroup) =>
  ({
    UserGroup: {
      PermissionGroupName,
      IpRestricted,
      AllowedPermissions: [...AllowedPermissions],
      DeniedPermissions: staffPermissionNames.filter((name) => !AllowedPermissions.includes(name)),
    },
  }) satisfies StaffPermissionsResponse

/** `request.staffId` from the query, its name in any case, as ASP.NET reads it. */
const staffIdOf = (request: Request) =>
  [...new URL(request.url).searchParams].find(([name]) => name.toLowerCase() === 'request.staffid')?.[1]

/**
 * `staff/staffpermissions`: with a token of the site, the group of the staff member `request.staffId`
 * names (any staff member of the site, not only the token's own); 400 for an ID that is no staff
 * member's, owners' and admins' 0 included. `sale/returnsale`: a refund of `SaleId`, for an owner or
 * a staff member whose group allows `RefundSales` (else 403 `InvalidUserAccessLevel`).
 * `site/activationcode`: the site's code, with no token.
 */
export function siteHandlers(handle: MockHandle, state: MockState, users: MockStaffUser[]) {
  return [
    handle('get', 'staffpermissions', (request, siteId) => {
      if (!state.issued(bearer(request), siteId)) return invalidToken()
      const staffId = staffIdOf(request)
      if (!staffId || !/^\d+$/.test(staffId))
        return error(400, 'The request.staffId parameter is required.', 'InvalidParameter')
      const staff = users.find(
        (u) =>
          u.User.Id === Number(staffId) &&
          u.User.Id !== 0 &&
          (u.siteId === undefined || String(u.siteId) === siteId),
      )
      if (!staff)
        return error(
          400,
          `No staff member has ID ${staffId} at site ${siteId} (owners and admins, ID 0, have no group).`,
          'InvalidParameter',
        )
      return HttpResponse.json(answerOf(staff.permissions ?? noGroup))
    }),
    handle('post', 'returnsale', (request, siteId, sent) => {
      const user = state.issued(bearer(request), siteId)?.user
      if (!user) return invalidToken()
      const group = users.find((u) => u.User.Id === user.Id)?.permissions ?? noGroup
      if (user.Id !== 0 && !group.AllowedPermissions.includes('RefundSales'))
        return error(403, 'This staff member does not have permission to do this.', 'InvalidUserAccessLevel')
      const SaleId = (sent as { SaleId?: unknown } | null)?.SaleId
      if (!Number.isSafeInteger(SaleId)) return error(400, 'SaleId is required.', 'InvalidParameter')
      return HttpResponse.json({ ReturnSaleID: 900_000 + Number(SaleId), TrainerID: user.Id, Amount: 25 })
    }),
    handle('get', 'activationcode', (_request, siteId) => {
      const ActivationCode = `mock-activation-${siteId.replace('-', 'n')}`
      const ActivationLink = `https://mindbody.mock.invalid/managecredentials?code=${ActivationCode}`
      return HttpResponse.json({ ActivationCode, ActivationLink } satisfies ActivationCodeResponse)
    }),
  ]
}
