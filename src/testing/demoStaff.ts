import type { StaffPermission } from '../core/staffPermissions'
import type { MockStaffUser } from './mockOptions'

const frontDesk: StaffPermission[] = [
  'BookClassesAndEvents',
  'BookClassesAndEventsWithoutPayment',
  'CancelClassesAndEvents',
  'LaunchSignInScreen',
  'MakeSales',
  'UseStoredCreditCards',
  'CashDrawerReportCurrentDate',
  'AddClient',
  'ViewClientProfileScreen',
  'EditClientProfileScreen',
  'ViewAllClients',
  'ClockSelfInAndOut',
]

const manager: StaffPermission[] = [
  ...frontDesk,
  'BookClassesAndEventsInThePast',
  'EditSales',
  'VoidEditPastSales',
  'RefundSales',
  'RefundSalesToCreditCards',
  'VoidCreditCardTransactions',
  'ApplyCustomDiscountsOnRetailScreen',
  'DailyCloseoutReport',
  'ViewClientBillingInformation',
  'EditClientBillingInformation',
  'ManageClientLogins',
  'ClockOthersInAndOut',
  'ExportReports',
  'StaffActivityLogReport',
]

/**
 * The accounts the mock accepts by default, all with the password `demo-password`; the demo's form
 * shows the first one. `demo.staff` is in a front-desk group (booking, sales, clients; no refunds),
 * `demo.owner` is an owner (`User.Id` 0, every permission), `demo.manager` is in a manager group (the
 * front desk's and refunds, voids, billing, reports).
 *
 * @example
 * const [staff, owner, manager] = demoStaff // demo.staff, demo.owner, demo.manager / demo-password
 */
export const demoStaff: MockStaffUser[] = [
  {
    Username: 'demo.staff',
    Password: 'demo-password',
    User: { Id: 100000123, FirstName: 'Ada', LastName: 'Lovelace', Type: 'Staff' },
    permissions: { PermissionGroupName: 'Front Desk', IpRestricted: false, AllowedPermissions: frontDesk },
  },
  {
    Username: 'demo.owner',
    Password: 'demo-password',
    User: { Id: 0, FirstName: 'Grace', LastName: 'Hopper', Type: 'Owner' },
  },
  {
    Username: 'demo.manager',
    Password: 'demo-password',
    User: { Id: 100000124, FirstName: 'Hedy', LastName: 'Lamarr', Type: 'Staff' },
    permissions: { PermissionGroupName: 'Manager', IpRestricted: false, AllowedPermissions: manager },
  },
]
