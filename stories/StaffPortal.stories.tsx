import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { resetAfterPlay } from './demoReset'
import { owner, staff } from './mock'
import { portalMock, serverPortalMock } from './portalMock'
import { StaffPortal } from './StaffPortal'
import { typeCredentials } from './typeCredentials'

const meta = {
  title: 'Staff portal',
  component: StaffPortal,
  parameters: { layout: 'padded' },
} satisfies Meta<typeof StaffPortal>

export default meta
type Story = StoryObj<typeof meta>
type PlayContext = Parameters<NonNullable<Story['play']>>[0]

/** Staff see the schedule and sell; the owner also sees payroll and refunds. Ends signed out, as it began. */
async function tourAsStaffThenOwner({ canvas, canvasElement, userEvent }: PlayContext) {
  await typeCredentials(userEvent, canvas, staff)
  await canvas.findByText('Ada Lovelace')
  await expect(canvas.getByText('Staff', { selector: '.mb-badge' })).toBeVisible()
  await expect(await canvas.findByRole('list', { name: "Today's classes" })).toHaveTextContent(
    'Morning Flow with Ada Lovelace',
  )
  await expect(await canvas.findByRole('list', { name: 'Team' })).toHaveTextContent('Hedy Lamarr')
  // A client search: each search text is its own typed query of GET /client/clients.
  const clients = await canvas.findByRole('list', { name: 'Clients' })
  await expect(within(clients).getAllByRole('listitem')).toHaveLength(3)
  await userEvent.type(canvas.getByRole('searchbox', { name: 'Search clients' }), 'curie')
  await userEvent.click(canvas.getByRole('button', { name: 'Search' }))
  await waitFor(() => expect(within(clients).getAllByRole('listitem')).toHaveLength(1))
  await expect(clients).toHaveTextContent('Marie Curie')
  await expect(canvas.getByText(/Only owners see payroll/)).toBeVisible()
  await expect(await canvas.findByText('Front Desk')).toBeVisible()
  await expect(canvas.getByRole('button', { name: 'New sale' })).toBeVisible()
  await expect(canvas.getByText(/Refunds need a manager/)).toBeVisible()
  await expect(canvas.queryByRole('button', { name: 'Refund a sale' })).toBeNull()
  await expect(canvas.getByText(/^in 23 h 5\d min$/)).toBeVisible()
  await userEvent.click(canvas.getByRole('button', { name: 'Sign out' }))

  await typeCredentials(
    userEvent,
    within(await canvas.findByRole('group', { name: 'Studio staff portal' })),
    owner,
  )
  await canvas.findByText('Grace Hopper')
  await expect(canvas.getByText('Owner', { selector: '.mb-badge' })).toBeVisible()
  await expect(canvas.getByText(/Payroll this week/)).toBeVisible()
  await expect(await canvas.findByRole('button', { name: 'Refund a sale' })).toBeVisible()
  await expect(canvas.getByText('every permission')).toBeVisible()
  await userEvent.click(canvas.getByRole('button', { name: 'Sign out' }))
  await canvas.findByRole('group', { name: 'Studio staff portal' })
  return canvasElement
}

/** The token in the page (token mode): staff see the schedule, the owner sees payroll too. */
export const TokenMode: Story = {
  parameters: {
    ...portalMock(),
    caption:
      'A staff portal in token mode. Sign in as demo.staff to see the schedule, then as demo.owner to see the owner area too.',
  },
  play: async (context) => {
    await tourAsStaffThenOwner(context)
    resetAfterPlay(context.canvasElement, 'it signed in as demo.staff, then as demo.owner, and signed out.')
  },
}

const serverBackend = serverPortalMock()

/**
 * The token on the server (server mode): the same portal, the page proves it cannot read the token, and
 * the staff member signs out their other devices.
 */
export const ServerMode: Story = {
  args: { showWhatThePageSees: true, signInElsewhere: serverBackend.signInElsewhere },
  parameters: {
    ...serverBackend.parameters,
    mindbody: { mode: 'server', baseURL: '/mindbody' },
    caption:
      'The same portal in server mode: a proxy (here inside the page, in production on your server) holds the token in an HttpOnly cookie. Sign in and see what the page can read; sign in on a second device, then sign out your other devices.',
  },
  play: async (context) => {
    const { canvas, userEvent } = context
    await waitFor(() => expect(canvas.queryByText('Restoring your session…')).toBeNull())
    await typeCredentials(userEvent, canvas, staff)
    await canvas.findByText('Ada Lovelace')
    await expect(canvas.getByText('null: the token stays on the server')).toBeVisible()
    await expect(await canvas.findByText('Front Desk')).toBeVisible()
    await expect(canvas.queryByRole('button', { name: 'Refund a sale' })).toBeNull()
    await expect(await canvas.findByRole('list', { name: "Today's classes" })).toHaveTextContent(
      'Evening Yin',
    )
    // "Sign out my other devices": a second device signs in, then this browser signs it out.
    const devices = await canvas.findByRole('list', { name: 'Signed-in devices' })
    await expect(within(devices).getAllByRole('listitem')).toHaveLength(1)
    await expect(devices).toHaveTextContent(/^This browser, signed in at/)
    await userEvent.click(canvas.getByRole('button', { name: 'Sign in on a second device' }))
    await waitFor(() => expect(within(devices).getAllByRole('listitem')).toHaveLength(2))
    await expect(devices).toHaveTextContent(/Another device, signed in at/)
    await userEvent.click(canvas.getByRole('button', { name: 'Sign out my other devices' }))
    await waitFor(() => expect(within(devices).getAllByRole('listitem')).toHaveLength(1))
    await expect(devices).toHaveTextContent(/^This browser, signed in at/)
    await expect(canvas.getByRole('button', { name: 'Sign out my other devices' })).toBeDisabled()
    await userEvent.click(canvas.getByRole('button', { name: 'Sign out' }))
    await canvas.findByRole('group', { name: 'Studio staff portal' })
    // The form comes back at once; the fresh start must wait until the proxy has cleared its cookie,
    // or it would restore the session that is still being revoked.
    await waitFor(() => expect(serverBackend.jar.size).toBe(0))
    resetAfterPlay(
      context.canvasElement,
      'it signed in through the proxy as demo.staff, checked the page holds no token, signed out a second device, and signed out.',
    )
  },
}
