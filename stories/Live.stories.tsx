import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect } from 'storybook/test'
import { LiveSignIn } from './LiveSignIn'

const env = import.meta.env

/**
 * The widget against the real Mindbody API. Set the controls, or start Storybook with
 * `VITE_MINDBODY_BASE_URL`, `VITE_MINDBODY_SITE_ID` and (only for a trusted local tool)
 * `VITE_MINDBODY_API_KEY`. The default base URL `/mindbody` is Storybook's own proxy, which adds
 * `Api-Key` from the server-side `MINDBODY_API_KEY` so the key never reaches the browser.
 * Its test only checks the form; it never reaches the network.
 */
const meta = {
  title: 'Live (real Mindbody API)',
  component: LiveSignIn,
  args: {
    baseURL: env.VITE_MINDBODY_BASE_URL ?? '/mindbody',
    siteId: env.VITE_MINDBODY_SITE_ID ?? '-99',
    apiKey: env.VITE_MINDBODY_API_KEY ?? '',
  },
  argTypes: {
    baseURL: { control: 'text' },
    siteId: { control: 'text' },
    apiKey: { control: 'text' },
  },
  parameters: {
    msw: { handlers: [] },
    caption:
      'The widget against the real Mindbody API, which needs your API key: start Storybook with MINDBODY_API_KEY=your-key npm start, set your site ID below, and sign in with a real staff account.',
  },
} satisfies Meta<typeof LiveSignIn>

export default meta

/** Sign in with a real staff account of the site in the controls. */
export const Live: StoryObj<typeof meta> = {
  play: async ({ canvas, args }) => {
    await expect(canvas.getByRole('heading', { name: 'Mindbody sign-in (live)' })).toBeVisible()
    await expect(canvas.getByLabelText('Username')).toBeEnabled()
    await expect(canvas.getAllByText(args.baseURL)[0]).toBeVisible()
    await expect(canvas.getByText('MINDBODY_API_KEY=your-key npm start')).toBeVisible()
  },
}
