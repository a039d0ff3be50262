import { composeStories } from '@storybook/react-vite'
import { expect, test } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import * as stories from '../../stories/StaffSignIn.stories'

const { SignIn } = composeStories(stories)

/** `npm run screenshots` writes the README's pictures to docs/; plain test runs leave docs/ alone. */
const dir = import.meta.env.VITE_SCREENSHOT_DIR ?? '.screenshots'

test('pictures the sign-in story for the README: the form, then the signed-in card', async () => {
  await SignIn.run({ play: false } as Parameters<typeof SignIn.run>[0])
  const widget = page.getByRole('region', { name: 'Staff sign-in' })
  await userEvent.fill(page.getByLabelText('Username'), 'demo.staff')
  await userEvent.fill(page.getByLabelText('Password'), 'demo-password')
  const form = await page.screenshot({ path: `../../${dir}/sign-in-form.png`, element: widget })

  await userEvent.click(page.getByRole('button', { name: 'Sign in' }))
  await expect.element(page.getByRole('heading', { name: 'Signed in as Ada Lovelace' })).toBeVisible()
  const card = await page.screenshot({ path: `../../${dir}/signed-in.png`, element: widget })
  expect([form, card]).toEqual([
    expect.stringMatching(/sign-in-form\.png$/),
    expect.stringMatching(/signed-in\.png$/),
  ])
})
