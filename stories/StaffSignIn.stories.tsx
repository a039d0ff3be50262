import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { MindbodyProvider } from '../src'
import { mock, owner, staff } from './mock'
import { StaffSignIn } from './StaffSignIn'
import { typeCredentials } from './typeCredentials'

const meta = {
  title: 'Staff sign-in',
  component: StaffSignIn,
  args: { hint: { Username: staff.Username, Password: staff.Password } },
  parameters: mock(),
} satisfies Meta<typeof StaffSignIn>

export default meta
type Story = StoryObj<typeof meta>

/** Signs in and out with the keyboard alone, as the demo account shown on the form. */
export const SignIn: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.tab()
    await expect(canvas.getByLabelText('Username')).toHaveFocus()
    await userEvent.keyboard(staff.Username)
    await userEvent.tab()
    await expect(canvas.getByLabelText('Password')).toHaveFocus()
    await userEvent.keyboard(`${staff.Password}{Enter}`)

    const heading = await canvas.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    await expect(heading).toHaveFocus()
    await expect(canvas.getByText('Staff')).toBeVisible()
    await expect(canvas.getByText(/GMT$/)).toBeVisible()

    await userEvent.tab()
    await expect(canvas.getByRole('button', { name: 'Sign out' })).toHaveFocus()
    await userEvent.keyboard('{Enter}')
    await expect(await canvas.findByLabelText('Username')).toBeVisible()
    await expect(canvas.queryByRole('alert')).toBeNull()
  },
}

/** A slow server: the button is disabled and a spinner shows until the answer comes. */
export const Pending: Story = {
  parameters: mock({ failure: 'slow', slowMs: 1500 }),
  play: async ({ canvas, userEvent }) => {
    await typeCredentials(userEvent, canvas, staff)
    await expect(canvas.getByRole('button', { name: 'Signing in…' })).toBeDisabled()
    await expect(canvas.getByRole('progressbar', { name: 'Signing in' })).toBeVisible()
    await canvas.findByRole('heading', { name: /Signed in as/ }, { timeout: 5000 })
    await expect(canvas.queryByRole('progressbar')).toBeNull()
  },
}

type PlayContext = Parameters<NonNullable<Story['play']>>[0]

const failSignIn = async ({ canvas, userEvent }: PlayContext, password: string, message: string) => {
  await typeCredentials(userEvent, canvas, { Username: staff.Username, Password: password })
  const alert = await canvas.findByRole('alert')
  await expect(alert).toHaveTextContent(message)
  await waitFor(() => expect(alert).toHaveFocus())
  await expect(canvas.getByLabelText('Password')).toHaveValue('')
  await expect(canvas.queryByRole('heading', { name: /Signed in as/ })).toBeNull()
}

/** A wrong password shows Mindbody's own message and code, and moves focus to it. */
export const WrongPassword: Story = {
  play: (context) =>
    failSignIn(context, 'not-the-password', 'Staff identity authentication failed. DeniedAccess'),
}

/** Mindbody refuses the app itself: the API key is missing (401). The message says it is not the password. */
export const MissingApiKey: Story = {
  parameters: mock({ apiKey: 'the-key-a-proxy-would-add' }),
  play: (context) =>
    failSignIn(context, staff.Password, 'This app is not set up to reach Mindbody (Missing API key).'),
}

/** Mindbody rate-limits the app: 429 TooManyRequests, with a Retry-After. */
export const RateLimited: Story = {
  parameters: mock({ failure: 'rate-limited' }),
  play: (context) => failSignIn(context, staff.Password, 'Too many attempts. Wait a moment, then try again.'),
}

/** Mindbody answers 500. */
export const ServerError: Story = {
  parameters: mock({ failure: 'server-error' }),
  play: (context) => failSignIn(context, staff.Password, 'An internal server error occurred. InternalError'),
}

/** The network is down: nothing answers. */
export const NetworkDown: Story = {
  parameters: mock({ failure: 'network-error' }),
  play: (context) => failSignIn(context, staff.Password, 'Mindbody could not be reached.'),
}

/** A proxy or maintenance page answers 200 with HTML instead of a token. */
export const MalformedResponse: Story = {
  parameters: mock({ failure: 'html' }),
  play: (context) => failSignIn(context, staff.Password, 'Mindbody sent an answer this page cannot read.'),
}

/** An owner signs in: Mindbody gives owners and admins the user ID 0. */
export const OwnerSignIn: Story = {
  args: { title: 'Owner sign-in', hint: { Username: owner.Username, Password: owner.Password } },
  play: async ({ canvas, userEvent }) => {
    await typeCredentials(userEvent, canvas, owner)
    await canvas.findByRole('heading', { name: 'Signed in as Grace Hopper' })
    await expect(canvas.getByText('Owner')).toBeVisible()
    await expect(canvas.getByText(/^0 /)).toBeVisible()
  },
}

/** Two sites side by side in one QueryClient: each keeps its own token. */
export const TwoSites: Story = {
  parameters: mock({
    users: [
      { ...staff, siteId: 1111 },
      { ...owner, siteId: 2222 },
    ],
  }),
  render: () => (
    <div className="mb-two-sites">
      <MindbodyProvider siteId={1111}>
        <StaffSignIn title="Downtown studio" hint={staff} />
      </MindbodyProvider>
      <MindbodyProvider siteId={2222}>
        <StaffSignIn title="Uptown studio" hint={owner} />
      </MindbodyProvider>
    </div>
  ),
  play: async ({ canvas, userEvent }) => {
    const downtown = within(canvas.getByRole('region', { name: 'Downtown studio' }))
    const uptown = within(canvas.getByRole('region', { name: 'Uptown studio' }))
    await typeCredentials(userEvent, downtown, staff)
    await downtown.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    await expect(uptown.getByLabelText('Username')).toBeVisible()

    await typeCredentials(userEvent, uptown, staff)
    await expect(await uptown.findByRole('alert')).toHaveTextContent('Staff identity authentication failed.')

    await userEvent.clear(uptown.getByLabelText('Username'))
    await typeCredentials(userEvent, uptown, owner)
    await uptown.findByRole('heading', { name: 'Signed in as Grace Hopper' })

    await userEvent.click(downtown.getByRole('button', { name: 'Sign out' }))
    await downtown.findByLabelText('Username')
    await expect(uptown.getByRole('heading', { name: 'Signed in as Grace Hopper' })).toBeVisible()
  },
}
