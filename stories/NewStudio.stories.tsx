import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { resetAfterPlay } from './demoReset'
import { expectedFailures } from './expectedFailures'
import { mock, staff } from './mock'
import { NewStudio } from './NewStudio'
import { typeCredentials } from './typeCredentials'

const unactivatedSites: Array<string | number> = [-99]

const meta = {
  title: 'Onboarding',
  component: NewStudio,
  args: { unactivatedSites, siteId: -99 },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof NewStudio>

export default meta
type Story = StoryObj<typeof meta>

/** A new studio: sign-in says the site has not activated the app; the owner opens the link; sign-in works. */
export const NewStudioActivation: Story = {
  name: 'New studio',
  parameters: {
    ...mock({ unactivatedSites }),
    ...expectedFailures('403 POST /usertoken/issue'),
    caption:
      "A studio's first day: staff sign-in fails until the owner activates your API key. Sign in, then get the activation link as your server would, let the owner open it, and sign in again.",
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    const desk = within(canvas.getByRole('region', { name: 'The front desk' }))
    const yourServer = within(canvas.getByRole('region', { name: 'Your server' }))
    await typeCredentials(userEvent, desk, staff)
    await expect(await desk.findByRole('alert')).toHaveTextContent(
      'This site has not activated this app yet: ask the owner to open the activation link',
    )
    await userEvent.click(yourServer.getByRole('button', { name: 'Get the activation link' }))
    const link = await yourServer.findByRole('link')
    await expect(link).toHaveTextContent(
      'https://mindbody.mock.invalid/managecredentials?code=mock-activation-n99',
    )
    await userEvent.click(yourServer.getByRole('button', { name: 'The owner opens the link' }))
    await userEvent.clear(desk.getByLabelText('Username'))
    await typeCredentials(userEvent, desk, staff)
    await desk.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
    resetAfterPlay(
      canvasElement,
      'it was refused as a site that has not activated the key, got the activation link, activated, and signed in.',
    )
  },
}
