import type { Meta, StoryObj } from '@storybook/react-vite'
import { http, HttpResponse } from 'msw'
import { expect, waitFor, within } from 'storybook/test'
import { createMockMindbody } from '../src/testing'
import { ReloadablePortal, StaffDirectory, TwoTabs } from './LifecycleDemos'
import { mock, staff } from './mock'
import { StaffSignIn } from './StaffSignIn'
import { typeCredentials } from './typeCredentials'

const meta = {
  title: 'Token lifecycle',
  component: StaffSignIn,
} satisfies Meta<typeof StaffSignIn>

export default meta
type Story = StoryObj<typeof meta>
type PlayContext = Parameters<NonNullable<Story['play']>>[0]

const signIn = async ({ userEvent }: PlayContext, scope: ReturnType<typeof within>) => {
  await typeCredentials(userEvent, scope, staff)
  await scope.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
}
const expiryOf = (scope: ReturnType<typeof within>) =>
  Date.parse(scope.getByRole('time').getAttribute('datetime')!)

/** Tokens that live 33 s, with the default 30 s leeway: the session ends after about 3 s. */
export const Expiry: Story = {
  parameters: mock({ lifetimeMs: 33_000 }),
  play: async (context) => {
    await signIn(context, context.canvas)
    await context.canvas.findByText('Your session expired. Sign in again to continue.', {}, { timeout: 8000 })
    await expect(context.canvas.getByLabelText('Username')).toBeVisible()
  },
}

/** Auto-renew: the token is renewed 2 s before it would count as expired, and its expiry moves on. */
export const AutoRenew: Story = {
  parameters: {
    ...mock({ lifetimeMs: 34_000 }),
    mindbody: { autoRenew: { beforeExpiryMs: 2_000 } },
  },
  play: async (context) => {
    await signIn(context, context.canvas)
    const before = expiryOf(context.canvas)
    await waitFor(() => expect(expiryOf(context.canvas)).toBe(before + 24 * 3600_000), { timeout: 8000 })
    await expect(context.canvas.getByRole('heading', { name: 'Signed in as Ada Lovelace' })).toBeVisible()
  },
}

/** `storage="local"`: a reload restores the session without showing the sign-in form. */
export const RestoreAfterReload: Story = {
  parameters: mock(),
  render: () => <ReloadablePortal siteId={-99} storage="local" storageKey="story-restore" />,
  play: async (context) => {
    localStorage.removeItem('story-restore')
    await signIn(context, context.canvas)
    await context.userEvent.click(context.canvas.getByRole('button', { name: /Reload the page/ }))
    await expect(await context.canvas.findByRole('button', { name: /load 2/ })).toBeVisible()
    await expect(context.canvas.queryByLabelText('Password')).toBeNull()
    await context.canvas.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    await context.userEvent.click(context.canvas.getByRole('button', { name: 'Sign out' }))
    await expect(localStorage.getItem('story-restore')).toBeNull()
  },
}

/** Two tabs on one storage: signing in, renewing and signing out in one reaches the other; each reports its sign-out. */
export const TwoTabsInSync: Story = {
  parameters: mock(),
  render: () => <TwoTabs />,
  play: async (context) => {
    const a = within(context.canvas.getByRole('region', { name: 'Tab A' }))
    const b = within(context.canvas.getByRole('region', { name: 'Tab B' }))
    await signIn(context, a)
    await b.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    const before = expiryOf(b)
    await context.userEvent.click(a.getByRole('button', { name: 'Stay signed in' }))
    await waitFor(() => expect(expiryOf(b)).toBe(before + 24 * 3600_000))
    await context.userEvent.click(a.getByRole('button', { name: 'Sign out' }))
    await expect(await b.findByText('You signed out in another tab.')).toBeVisible()
    await expect(a.getByText('You signed out.')).toBeVisible()
    await expect(context.canvas.getByLabelText('Tab A sign-outs')).toHaveTextContent('revoked')
    await expect(context.canvas.getByLabelText('Tab B sign-outs')).toHaveTextContent('other-tab')
  },
}

const directory = createMockMindbody()
/** `useMindbodyClient` calls another endpoint with the token; a 401 from it signs out. */
export const AuthenticatedClient: Story = {
  parameters: {
    msw: {
      handlers: [
        http.get('*/public/v6/staff/staff', ({ request }) => {
          const token = request.headers.get('Authorization') ?? ''
          return directory.isValid(token)
            ? HttpResponse.json({ StaffMembers: [{ Id: 1, FirstName: 'Ada', LastName: 'Lovelace' }] })
            : HttpResponse.json(
                { Error: { Message: 'Invalid token.', Code: 'DeniedAccess' } },
                { status: 401 },
              )
        }),
        ...directory.handlers,
      ],
    },
  },
  render: () => <StaffDirectory />,
  play: async (context) => {
    await signIn(context, context.canvas)
    await context.userEvent.click(context.canvas.getByRole('button', { name: 'Load the staff list' }))
    await expect(await context.canvas.findByRole('list', { name: 'Staff' })).toHaveTextContent('Ada Lovelace')
    directory.reset()
    await context.userEvent.click(context.canvas.getByRole('button', { name: 'Load the staff list' }))
    await expect(
      await context.canvas.findByText('Mindbody no longer accepts this session. Sign in again.'),
    ).toBeVisible()
  },
}
