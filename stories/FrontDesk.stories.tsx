import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { resetAfterPlay } from './demoReset'
import { FrontDesk } from './FrontDesk'
import { FrontDeskShift } from './FrontDeskShift'
import { deskMock } from './portalMock'
import { expectedFailures } from './expectedFailures'
import { mock, staff } from './mock'
import { typeCredentials } from './typeCredentials'

const meta = {
  title: 'Front desk',
  component: FrontDesk,
  parameters: mock(),
} satisfies Meta<typeof FrontDesk>

export default meta
type Story = StoryObj<typeof meta>

/** A 30-second idle limit with a 10-second warning, so a visitor sees it happen. */
export const IdleSignOut: Story = {
  name: 'Front desk',
  parameters: {
    ...mock(),
    mindbody: { idle: { timeoutMs: 30_000, warnBeforeMs: 10_000 } },
    caption:
      'A shared front-desk computer signs out after 30 seconds with no activity (a key, a click, a scroll, a touch), warning 10 seconds before. Sign in, then keep still: press "Stay signed in" to keep the session, or wait to see the idle sign-out.',
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await typeCredentials(userEvent, canvas, staff)
    await canvas.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    // Nobody touches anything for 20 seconds: the warning comes, counting down.
    const warning = await canvas.findByRole('alertdialog', { name: 'Still there?' }, { timeout: 25_000 })
    await expect(warning).toHaveTextContent(/you will be signed out in 0:(0\d|10)\./)
    await userEvent.click(within(warning).getByRole('button', { name: 'Stay signed in' }))
    await expect(canvas.queryByRole('alertdialog')).toBeNull()
    await expect(canvas.getByRole('heading', { name: 'Signed in as Ada Lovelace' })).toBeVisible()
    resetAfterPlay(canvasElement, 'it signed in, kept still until the warning, and stayed signed in.')
  },
}

/**
 * A shared desk through a shift (server mode, the proxy's `desk` and `approvals`): two staff sign in once,
 * each sets a PIN; the screen locks, and each comes back with their PIN; a refund waits for a manager.
 */
const shiftBackend = deskMock()

export const Shift: Story = {
  render: () => <FrontDeskShift />,
  parameters: {
    msw: shiftBackend.msw,
    // A wrong PIN, and the refund the proxy holds for the manager's approval.
    ...expectedFailures('403 POST /desk/unlock', '403 POST /sale/returnsale'),
    mindbody: { mode: 'server', baseURL: '/mindbody', idle: { timeoutMs: 5 * 60_000, action: 'lock' } },
    caption:
      'A front desk shared through a shift. Sign in as demo.staff (front desk) and set a PIN, add demo.manager (refunds) and set theirs, then lock the screen and switch between them with the PIN. Refund the sale as Ada: Hedy approves it with her PIN and a reason. Five minutes without activity lock the screen.',
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    const signIn = async (username: string, pin: string) => {
      await userEvent.type(await canvas.findByLabelText('Username'), username)
      await userEvent.type(canvas.getByLabelText('Password'), 'demo-password{Enter}')
      await userEvent.type(await canvas.findByLabelText('New PIN (4 digits)'), `${pin}{Enter}`)
      await waitFor(() => expect(canvas.queryByLabelText('New PIN (4 digits)')).toBeNull())
    }
    await signIn('demo.staff', '1111')
    await expect(await canvas.findByRole('heading', { name: 'Signed in as Ada Lovelace' })).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Add a staff member' }))
    await signIn('demo.manager', '2222')
    await expect(await canvas.findByRole('heading', { name: 'Signed in as Hedy Lamarr' })).toBeVisible()

    // The lock screen, by keyboard only: the first name has the focus; arrows pick, Tab to the PIN, Enter.
    canvas.getByRole('button', { name: 'Lock the screen' }).focus()
    await userEvent.keyboard('{Enter}')
    await canvas.findByRole('heading', { name: 'The desk is locked' })
    await waitFor(() => expect(canvas.getByRole('radio', { name: 'Ada Lovelace' })).toHaveFocus())
    await userEvent.keyboard('{ArrowDown}')
    await expect(canvas.getByRole('radio', { name: 'Hedy Lamarr' })).toBeChecked()
    await userEvent.keyboard('{ArrowUp}')
    await expect(canvas.getByRole('radio', { name: 'Ada Lovelace' })).toBeChecked()
    await userEvent.tab()
    await expect(canvas.getByLabelText('PIN')).toHaveFocus()
    await userEvent.keyboard('9999{Enter}')
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Wrong PIN: 4 tries left.')
    await userEvent.keyboard('1111{Enter}')
    await canvas.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    await expect(canvas.getByText('Also at this desk: Hedy Lamarr')).toBeVisible()

    // Ada may not refund: the proxy holds the call until Hedy approves it with her PIN and a reason.
    await userEvent.click(canvas.getByRole('button', { name: 'Refund sale #1042' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Manager approval' })
    await expect(dialog).toHaveTextContent('This refund needs RefundSales.')
    await userEvent.click(within(dialog).getByRole('radio', { name: 'Hedy Lamarr' }))
    await userEvent.type(within(dialog).getByLabelText('Their PIN'), '2222')
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Charged twice{Enter}')
    await expect(await canvas.findByText('Refunded: return 901042, 25 USD.')).toBeVisible()
    await expect(canvas.queryByRole('dialog')).toBeNull()
    // Still Ada's shift: the approval lent her nothing but this one refund.
    await expect(canvas.getByRole('heading', { name: 'Signed in as Ada Lovelace' })).toBeVisible()
    // A fresh browser for the visitor: the desk this test made stays behind.
    shiftBackend.jar.clear()
    resetAfterPlay(
      canvasElement,
      'two staff signed in and set PINs, the desk locked and unlocked by keyboard (a wrong PIN first), and a refund was approved by the manager.',
    )
  },
}
