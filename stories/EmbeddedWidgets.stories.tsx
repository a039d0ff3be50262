import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { resetAfterPlay } from './demoReset'
import { EmbeddedWidgets } from './EmbeddedWidgets'
import { mock, staff } from './mock'
import { typeCredentials } from './typeCredentials'

const meta = {
  title: 'Embedded widgets',
  component: EmbeddedWidgets,
  parameters: mock(),
} satisfies Meta<typeof EmbeddedWidgets>

export default meta
type Story = StoryObj<typeof meta>

/** Two React roots on one page, one in Shadow DOM, share one sign-in and one sign-out. */
export const OneSignInPerPage: Story = {
  name: 'Embedded widgets',
  parameters: {
    ...mock(),
    caption:
      'Two widgets, each its own React root with its own provider and no shared QueryClient, the second in Shadow DOM. Sign in in either: both are signed in. Sign out in either: both are signed out.',
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    const front = within(await canvas.findByRole('region', { name: 'Front desk widget root' }))
    const host = canvas.getByRole('region', { name: 'Schedule widget root' })
    // Each widget is a root of its own, made after the story renders: wait for both forms.
    await waitFor(() => expect(host.shadowRoot).not.toBeNull())
    const schedule = within(host.shadowRoot as unknown as HTMLElement)
    await front.findByLabelText('Username')
    await schedule.findByLabelText('Username')
    await typeCredentials(userEvent, front, staff)
    await expect(await schedule.findByRole('heading', { name: 'Signed in as Ada Lovelace' })).toBeVisible()
    // Focus stays in the widget in use: the other one follows without taking it.
    await waitFor(() =>
      expect(front.getByRole('heading', { name: 'Signed in as Ada Lovelace' })).toHaveFocus(),
    )

    await userEvent.click(schedule.getByRole('button', { name: 'Sign out' }))
    await expect(await front.findByText('You signed out.')).toBeVisible()
    await expect(await schedule.findByText('You signed out.')).toBeVisible()
    resetAfterPlay(canvasElement, 'it signed in in the front desk widget, and out in the Shadow DOM one.')
  },
}
