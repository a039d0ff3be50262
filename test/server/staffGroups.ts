import { http, HttpResponse } from 'msw'
import { staffPermissionNames } from '../../src/core/staffPermissions'
import type { MockStaffUser } from '../../src/testing'
import type { startStandIn } from './standIn'

/** What a front desk may do: no refunds. */
export const FRONT_DESK = ['MakeSales', 'BookClassesAndEvents', 'LaunchSignInScreen', 'AddClient'] as const

const group = (PermissionGroupName: string, IpRestricted: boolean, allowed: readonly string[]) => ({
  PermissionGroupName,
  IpRestricted,
  AllowedPermissions: staffPermissionNames.filter((name) => allowed.includes(name)),
  DeniedPermissions: staffPermissionNames.filter((name) => !allowed.includes(name)),
})

/** Each staff member's group, by `User.Id`, as Mindbody answers `staffpermissions` (in the published order). */
export const GROUPS: Record<number, ReturnType<typeof group>> = {
  100000123: group('Front desk', true, FRONT_DESK),
  100000456: group('Manager', false, staffPermissionNames),
}

const password = 'demo-password'
/** A front desk, a manager with every permission, and an owner. */
export const USERS: MockStaffUser[] = [
  { Username: 'demo.staff', Password: password, User: { Id: 100000123, FirstName: 'Ada', Type: 'Staff' } },
  { Username: 'demo.manager', Password: password, User: { Id: 100000456, FirstName: 'Mia', Type: 'Staff' } },
  { Username: 'demo.owner', Password: password, User: { Id: 0, FirstName: 'Grace', Type: 'Owner' } },
]
export const credentials = (Username: string) => JSON.stringify({ Username, Password: password })

/**
 * Mindbody's `staffpermissions` on the stand-in, for a valid token: each staff member's group, and
 * 400 for an id it does not know. `failing()` says whether to answer 500 instead.
 */
export function answerPermissions(
  standIn: Awaited<ReturnType<typeof startStandIn>>,
  failing: () => boolean = () => false,
) {
  standIn.use(
    http.get('*/public/v6/staff/staffpermissions', ({ request }) => {
      if (failing()) return HttpResponse.json({ Error: { Code: 'InternalError' } }, { status: 500 })
      if (!standIn.mindbody.isValid(request.headers.get('Authorization') ?? ''))
        return HttpResponse.json({ Error: { Code: 'DeniedAccess' } }, { status: 401 })
      const found = GROUPS[Number(new URL(request.url).searchParams.get('request.staffId'))]
      return found
        ? HttpResponse.json({ UserGroup: found })
        : HttpResponse.json({ Error: { Code: 'InvalidParameter' } }, { status: 400 })
    }),
  )
}
