import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { MindbodyProvider } from '../src'
import { resetAfterPlay } from './demoReset'
import { expectedFailures } from './expectedFailures'
import { mock, owner, staff } from './mock'
import { StaffSignIn } from './StaffSignIn'
import { typeCredentials } from './typeCredentials'

/**
 * The sign-in widget of `stories/StaffSignIn.tsx`, written to be copied: a form while signed out, a
 * card with the name, user type and a live session countdown while signed in.
 */
/** The healthy mock most stories share. */
const healthy = mock()

const meta = {
  title: 'Staff sign-in',
  component: StaffSignIn,
  tags: ['autodocs'],
  args: { hint: { Username: staff.Username, Password: staff.Password } },
  argTypes: {
    title: { control: 'text', description: "The widget's heading, such as the site's name." },
    hint: { control: 'object', description: 'A demo account to show above the form.' },
    otherHint: { control: 'object', description: 'A second demo account, such as an owner.' },
  },
  parameters: healthy,
} satisfies Meta<typeof StaffSignIn>

export default meta
type Story = StoryObj<typeof meta>

/** Signs in and out with the keyboard alone, as the demo account shown on the form. */
export const SignIn: Story = {
  parameters: {
    ...healthy,
    caption:
      'Sign in as the demo account shown on the form, with the mouse or the keyboard alone; then sign out.',
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await userEvent.tab()
    await expect(canvas.getByLabelText('Username')).toHaveFocus()
    await userEvent.keyboard(staff.Username)
    await userEvent.tab()
    await expect(canvas.getByLabelText('Password')).toHaveFocus()
    await userEvent.keyboard(`${staff.Password}{Enter}`)

    const heading = await canvas.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    await expect(heading).toHaveFocus()
    await expect(canvas.getByText('Staff')).toBeVisible()
    await expect(canvas.getByText(/^in 23 h 59 min$/)).toBeVisible()

    await userEvent.tab()
    await expect(canvas.getByRole('button', { name: 'Sign out' })).toHaveFocus()
    await userEvent.keyboard('{Enter}')
    await expect(await canvas.findByLabelText('Username')).toBeVisible()
    await expect(canvas.queryByRole('alert')).toBeNull()
    await expect(canvas.getByRole('status')).toHaveTextContent('You signed out.')
    await expect(canvas.getByRole('heading', { name: 'Staff sign-in' })).toHaveFocus()
    resetAfterPlay(canvasElement, 'it signed in as demo.staff with the keyboard alone, then signed out.')
  },
}

/** An empty submit says on the page what is missing, and clears the last error. */
export const EmptySubmit: Story = {
  parameters: {
    ...healthy,
    // It tries a wrong password first, so that the empty submit can clear that error.
    ...expectedFailures('403 POST /usertoken/issue'),
    caption: 'Press Sign in with a field left empty: the page says what is missing, and any old error goes.',
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await typeCredentials(userEvent, canvas, { Username: staff.Username, Password: 'not-the-password' })
    await canvas.findByText(/The username or password is not right/)
    await userEvent.clear(canvas.getByLabelText('Username'))
    await userEvent.click(canvas.getByRole('button', { name: 'Sign in' }))
    await expect(canvas.getByRole('alert')).toHaveTextContent('Enter your username.')
    await expect(canvas.queryByText(/The username or password is not right/)).toBeNull()
    resetAfterPlay(canvasElement, 'it tried a wrong password, then an empty username.')
  },
}

/** A slow server: the button is disabled and a spinner shows until the answer comes. */
export const Pending: Story = {
  parameters: {
    ...mock({ failure: 'slow', slowMs: 1500 }),
    caption: 'Here Mindbody takes 1.5 s to answer. Sign in: the button waits and a spinner shows.',
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await typeCredentials(userEvent, canvas, staff)
    await expect(canvas.getByRole('button', { name: 'Signing in…' })).toBeDisabled()
    await expect(canvas.getByRole('progressbar', { name: 'Signing in' })).toBeVisible()
    await canvas.findByRole('heading', { name: /Signed in as/ }, { timeout: 5000 })
    await expect(canvas.queryByRole('progressbar')).toBeNull()
    resetAfterPlay(canvasElement, 'it signed in against a slow server.')
  },
}

type PlayContext = Parameters<NonNullable<Story['play']>>[0]

const failSignIn = async (
  { canvas, canvasElement, userEvent }: PlayContext,
  password: string,
  message: string,
) => {
  await typeCredentials(userEvent, canvas, { Username: staff.Username, Password: password })
  const alert = await canvas.findByRole('alert')
  await expect(alert).toHaveTextContent(message)
  await waitFor(() => expect(alert).toHaveFocus())
  await expect(canvas.getByLabelText('Password')).toHaveValue('')
  await expect(canvas.queryByRole('heading', { name: /Signed in as/ })).toBeNull()
  resetAfterPlay(canvasElement, `it signed in and got: “${message}”`)
}

/** A wrong password: `problem` is `'wrong-credentials'`, said for a person, with Mindbody's code; focus moves to it. */
export const WrongPassword: Story = {
  parameters: {
    ...healthy,
    ...expectedFailures('403 POST /usertoken/issue'),
    caption: "Sign in with any wrong password: Mindbody's 403 reads as wrong credentials, with its code.",
  },
  play: (context) =>
    failSignIn(
      context,
      'not-the-password',
      'The username or password is not right. Check them and try again. DeniedAccess',
    ),
}

/** Mindbody refuses the app itself: the API key is missing (401). The message says it is not the password. */
export const MissingApiKey: Story = {
  parameters: {
    ...mock({ apiKey: 'the-key-a-proxy-would-add' }),
    ...expectedFailures('401 POST /usertoken/issue'),
    caption:
      'Here Mindbody wants an API key this page does not send. Sign in as the demo account: the 401 is told apart from a wrong password.',
  },
  play: (context) =>
    failSignIn(
      context,
      staff.Password,
      'This app is not set up to reach Mindbody: its API key is missing or refused.',
    ),
}

/** The site has not activated the developer's key yet: the owner must open the activation link. */
export const SiteNotActivated: Story = {
  parameters: {
    ...mock({ unactivatedSites: [-99] }),
    ...expectedFailures('403 POST /usertoken/issue'),
    caption:
      "Here site -99 has not yet activated this app's API key, the commonest first-day failure. Sign in to see what the person is told.",
  },
  play: (context) =>
    failSignIn(
      context,
      staff.Password,
      'This site has not activated this app yet: ask the owner to open the activation link',
    ),
}

/** The staff account is inactive at the business. */
export const StaffInactive: Story = {
  parameters: {
    ...mock({ failure: 'staff-inactive' }),
    ...expectedFailures('403 POST /usertoken/issue'),
    caption: 'Here Mindbody answers that this staff member is inactive. Sign in to see the advice.',
  },
  play: (context) => failSignIn(context, staff.Password, 'Your staff account is inactive at this business.'),
}

/** Mindbody rate-limits the app: 429 TooManyRequests, with a Retry-After. */
export const RateLimited: Story = {
  parameters: {
    ...mock({ failure: 'rate-limited' }),
    ...expectedFailures('429 POST /usertoken/issue'),
    caption:
      'Here Mindbody answers every call with 429 Too Many Requests. Sign in to see how the widget says it.',
  },
  play: (context) => failSignIn(context, staff.Password, 'Too many attempts. Wait a moment, then try again.'),
}

/** Mindbody answers 500. */
export const ServerError: Story = {
  parameters: {
    ...mock({ failure: 'server-error' }),
    ...expectedFailures('500 POST /usertoken/issue'),
    caption: 'Here Mindbody answers 500. Sign in to see the error shown, announced and focused.',
  },
  play: (context) => failSignIn(context, staff.Password, 'An internal server error occurred. InternalError'),
}

/** The network is down: nothing answers. */
export const NetworkDown: Story = {
  parameters: {
    ...mock({ failure: 'network-error' }),
    ...expectedFailures('net::ERR_FAILED POST /usertoken/issue'),
    caption: 'Here nothing answers at all, as when the network is down. Sign in to see the message.',
  },
  play: (context) => failSignIn(context, staff.Password, 'Mindbody could not be reached.'),
}

/** A proxy or maintenance page answers 200 with HTML instead of a token. */
export const MalformedResponse: Story = {
  parameters: {
    ...mock({ failure: 'html' }),
    caption: 'Here a maintenance page answers 200 with HTML instead of a token. Sign in to see it refused.',
  },
  play: (context) => failSignIn(context, staff.Password, 'Mindbody sent an answer this page cannot read.'),
}

/** An owner signs in: Mindbody gives owners and admins the user ID 0. */
export const OwnerSignIn: Story = {
  args: { title: 'Owner sign-in', hint: { Username: owner.Username, Password: owner.Password } },
  parameters: {
    ...healthy,
    caption: 'Sign in as the owner account: Mindbody gives owners and admins the user ID 0.',
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await typeCredentials(userEvent, canvas, owner)
    await canvas.findByRole('heading', { name: 'Signed in as Grace Hopper' })
    await expect(canvas.getByText('Owner')).toBeVisible()
    await expect(canvas.getByText(/^0 /)).toBeVisible()
    resetAfterPlay(canvasElement, 'it signed in as the owner.')
  },
}

/** Two sites side by side in one QueryClient: each keeps its own token. */
export const TwoSites: Story = {
  parameters: {
    ...healthy,
    caption:
      'Two sites side by side, each with its own token. The staff account belongs to Downtown, the owner to Uptown: try each on both.',
    ...mock({
      users: [
        { ...staff, siteId: 1111 },
        { ...owner, siteId: 2222 },
      ],
    }),
    // The staff account tried on the owner's site: each site knows only its own.
    ...expectedFailures('403 POST /usertoken/issue'),
  },
  // Each site is a labelled region of the page, so a screen reader's landmarks list (and a test) finds it.
  render: () => (
    <div className="mb-two-sites">
      <section aria-label="Downtown studio, site 1111">
        <MindbodyProvider siteId={1111}>
          <StaffSignIn title="Downtown studio" hint={staff} />
        </MindbodyProvider>
      </section>
      <section aria-label="Uptown studio, site 2222">
        <MindbodyProvider siteId={2222}>
          <StaffSignIn title="Uptown studio" hint={owner} />
        </MindbodyProvider>
      </section>
    </div>
  ),
  play: async ({ canvas, canvasElement, userEvent }) => {
    const downtown = within(canvas.getByRole('region', { name: 'Downtown studio, site 1111' }))
    const uptown = within(canvas.getByRole('region', { name: 'Uptown studio, site 2222' }))
    await typeCredentials(userEvent, downtown, staff)
    await downtown.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    await expect(uptown.getByLabelText('Username')).toBeVisible()

    await typeCredentials(userEvent, uptown, staff)
    await expect(await uptown.findByRole('alert')).toHaveTextContent('The username or password is not right.')

    await userEvent.clear(uptown.getByLabelText('Username'))
    await typeCredentials(userEvent, uptown, owner)
    await uptown.findByRole('heading', { name: 'Signed in as Grace Hopper' })

    await userEvent.click(downtown.getByRole('button', { name: 'Sign out' }))
    await downtown.findByLabelText('Username')
    await expect(uptown.getByRole('heading', { name: 'Signed in as Grace Hopper' })).toBeVisible()
    resetAfterPlay(canvasElement, 'it signed each account in to its own site.')
  },
}
