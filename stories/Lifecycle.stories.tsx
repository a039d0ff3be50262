import type { Meta, StoryObj } from '@storybook/react-vite'
import { http, HttpResponse } from 'msw'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { createMockMindbody } from '../src/testing'
import { resetAfterPlay } from './demoReset'
import { expectedFailures } from './expectedFailures'
import { RenewalLog, ReloadablePortal, StaffDirectory, Tab, TwoTabs } from './LifecycleDemos'
import { mock, staff } from './mock'
import { StaffSignIn } from './StaffSignIn'
import { typeCredentials } from './typeCredentials'

const meta = {
  title: 'Token lifecycle',
  component: StaffSignIn,
  args: { hint: staff },
} satisfies Meta<typeof StaffSignIn>

export default meta
type Story = StoryObj<typeof meta>
type PlayContext = Parameters<NonNullable<Story['play']>>[0]

const signIn = async ({ userEvent }: Pick<PlayContext, 'userEvent'>, scope: ReturnType<typeof within>) => {
  await typeCredentials(userEvent, scope, staff)
  await scope.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
}
/** The token's own expiry, as the card shows it (the last of its times). */
const expiryOf = (scope: ReturnType<typeof within>) =>
  Date.parse(scope.getAllByRole('time').at(-1)!.getAttribute('datetime')!)

/** Tokens that live 33 s, with the default 30 s leeway: the session ends after about 3 s. */
export const Expiry: Story = {
  parameters: {
    ...mock({ lifetimeMs: 33_000 }),
    caption:
      "Tokens here live 33 seconds. Sign in and watch the countdown: the session ends 30 s before the token's expiry, in case clocks differ, so after about 3 s, and the page says so.",
  },
  play: async (context) => {
    await signIn(context, context.canvas)
    const notice = await context.canvas.findByText(
      'Your session expired. Sign in again to continue.',
      {},
      { timeout: 8000 },
    )
    await expect(notice.closest('[role="status"]')).not.toBeNull()
    await expect(context.canvas.getByRole('heading', { name: 'Staff sign-in' })).toHaveFocus()
    resetAfterPlay(context.canvasElement, 'it signed in and watched the session expire.')
  },
}

/** Auto-renew: the token is renewed 2 s before the session would end, and the log says so. */
export const AutoRenew: Story = {
  parameters: {
    ...mock({ lifetimeMs: 34_000 }),
    mindbody: { autoRenew: { beforeExpiryMs: 2_000 } },
    caption:
      'Tokens here live 34 seconds, and the provider renews them 2 s before the session would end. Sign in and wait: the log below says when, and how the expiry moved.',
  },
  render: (args) => (
    <div className="mb-stack">
      <StaffSignIn {...args} />
      <RenewalLog />
    </div>
  ),
  play: async (context) => {
    await signIn(context, context.canvas)
    const before = expiryOf(context.canvas)
    await waitFor(() => expect(expiryOf(context.canvas)).toBe(before + 24 * 3600_000), { timeout: 8000 })
    await expect(context.canvas.getByText(/^Renewed at .*: expiry moved from/)).toBeVisible()
    resetAfterPlay(context.canvasElement, 'it signed in and waited for the automatic renewal.')
  },
}

/**
 * `storage="local"`: a reload restores the session without showing the sign-in form. The mock keeps
 * the tokens it issued in localStorage too (`persist`), so after the browser's own reload it still
 * renews and revokes the restored token, as Mindbody would.
 */
export const RestoreAfterReload: Story = {
  parameters: {
    msw: { handlers: createMockMindbody({ persist: localStorage }).handlers },
    caption:
      'The token is kept in localStorage. Sign in, then reload: with the button, or the whole browser page. The session comes back without the sign-in form flashing.',
  },
  render: () => <ReloadablePortal siteId={-99} storage="local" storageKey="story-restore" />,
  play: async (context) => {
    const { canvas } = context
    await waitFor(() => expect(canvas.queryByText('Restoring your session…')).toBeNull())
    // A visitor who reloaded is still signed in: the play never wipes the storage.
    if (canvas.queryByLabelText('Username')) await signIn(context, canvas)
    await context.userEvent.click(canvas.getByRole('button', { name: /Reload the page/ }))
    await expect(await canvas.findByRole('button', { name: /load 2/ })).toBeVisible()
    await expect(canvas.queryByLabelText('Password')).toBeNull()
    await canvas.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    await expect(localStorage.getItem('story-restore')).not.toBeNull()
    resetAfterPlay(context.canvasElement, 'it signed in and reloaded; you are still signed in.')
  },
}

/** One tab of Two Tabs In Sync: the page its iframes load. Hidden from the sidebar. */
export const OneTab: Story = {
  tags: ['!dev', '!test'],
  parameters: {
    msw: {
      // Each tab is a document with its own mock; on one localStorage they share the tokens issued.
      handlers: createMockMindbody({ persist: localStorage }).handlers,
    },
  },
  render: ({ title }) => <Tab name={title} siteId={-99} storage="local" storageKey="story-two-tabs" />,
}

const tab = async (canvasElement: HTMLElement, name: string) => {
  const frame = canvasElement.querySelector<HTMLIFrameElement>(`iframe[title="${name}"]`)!
  await waitFor(() => expect(frame.contentDocument?.querySelector('form, .mb-card')).toBeTruthy(), {
    timeout: 10_000,
  })
  const document = frame.contentDocument!
  return { scope: within(document.body), user: userEvent.setup({ document }) }
}

/**
 * Two tabs of one page: signing in, renewing and signing out in one reaches the other. Its tabs are
 * Storybook's own iframe.html, which only Storybook serves, so its play runs in the built-Storybook
 * test (`npm run test:storybook`), not in the Vitest story runner.
 */
export const TwoTabsInSync: Story = {
  tags: ['!test'],
  parameters: {
    caption:
      'Two tabs of one page, side by side, sharing localStorage. Sign in in Tab A: Tab B follows. Stay signed in, or sign out, in either one, and watch the other.',
  },
  render: () => {
    localStorage.removeItem('story-two-tabs')
    return <TwoTabs src="iframe.html?id=token-lifecycle--one-tab&viewMode=story" />
  },
  play: async ({ canvasElement }) => {
    const a = await tab(canvasElement, 'Tab A')
    const b = await tab(canvasElement, 'Tab B')
    await signIn({ userEvent: a.user }, a.scope)
    await b.scope.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    const before = expiryOf(b.scope)
    await a.user.click(a.scope.getByRole('button', { name: 'Stay signed in' }))
    await waitFor(() => expect(expiryOf(b.scope)).toBe(before + 24 * 3600_000))
    await a.user.click(a.scope.getByRole('button', { name: 'Sign out' }))
    await expect(await b.scope.findByText('You signed out in another tab.')).toBeVisible()
    await expect(a.scope.getByText('You signed out.')).toBeVisible()
    await expect(a.scope.getByLabelText('sign-outs')).toHaveTextContent('revoked')
    await expect(b.scope.getByLabelText('sign-outs')).toHaveTextContent('other-tab')
    // The tabs stay: removing their documents under the test's own event tracking would throw.
    resetAfterPlay(
      canvasElement,
      'it signed in in Tab A, renewed there, and signed out; Tab B followed each step. Sign in again in either tab.',
      { remount: false },
    )
  },
}

const directory = createMockMindbody()
/** `useMindbodyClient` calls another endpoint with the token; a 401 from it signs out. */
export const AuthenticatedClient: Story = {
  parameters: {
    msw: {
      handlers: [
        http.get('*/public/v6/staff/staff', ({ request }) =>
          directory.isValid(request.headers.get('Authorization') ?? '')
            ? HttpResponse.json({ StaffMembers: [{ Id: 1, FirstName: 'Ada', LastName: 'Lovelace' }] })
            : HttpResponse.json(
                { Error: { Message: 'Invalid token.', Code: 'DeniedAccess' } },
                { status: 401 },
              ),
        ),
        ...directory.handlers,
      ],
    },
    // The call after the revocation: Mindbody's 401, which signs out.
    ...expectedFailures('401 GET /staff/staff'),
    caption:
      'useMindbodyClient calls another Mindbody endpoint with the token. Sign in and load the staff list; then revoke the token on the server, load again, and the 401 signs you out.',
  },
  render: () => <StaffDirectory revokeOnServer={() => directory.reset()} />,
  play: async (context) => {
    const { canvas, userEvent } = context
    await signIn(context, canvas)
    await userEvent.click(canvas.getByRole('button', { name: 'Load the staff list' }))
    await expect(await canvas.findByRole('list', { name: 'Staff' })).toHaveTextContent('Ada Lovelace')
    await userEvent.click(canvas.getByRole('button', { name: 'Revoke on the server' }))
    await userEvent.click(canvas.getByRole('button', { name: 'Load the staff list' }))
    await expect(
      await canvas.findByText('Mindbody no longer accepts this session. Sign in again.'),
    ).toBeVisible()
    resetAfterPlay(
      context.canvasElement,
      'it signed in, loaded the list, revoked the token on the server, and the next call signed it out.',
    )
  },
}
