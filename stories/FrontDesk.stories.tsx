import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { resetAfterPlay } from './demoReset'
import { FrontDesk } from './FrontDesk'
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
