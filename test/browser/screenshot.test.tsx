import { composeStories } from '@storybook/react-vite'
import { expect, test } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import * as portalStories from '../../stories/StaffPortal.stories'
import * as stories from '../../stories/StaffSignIn.stories'

const { SignIn } = composeStories(stories)
const { TokenMode } = composeStories(portalStories)

/** `npm run screenshots` writes the README's pictures to docs/; plain test runs leave docs/ alone. */
const dir = import.meta.env.VITE_SCREENSHOT_DIR ?? '.screenshots'

/** Plays the story's own test, then waits for the fresh start it ends with, as a visitor sees it. */
async function openAfterItsTest(story: { run: () => Promise<void> }) {
  await story.run()
  await expect.element(page.getByText(/This story's own test just ran/)).toBeVisible()
}

test('pictures the sign-in story for the README: the form, then the signed-in card', async () => {
  await openAfterItsTest(SignIn)
  const widget = page.getByRole('group', { name: 'Staff sign-in' })
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

test('pictures the staff portal for the README, signed in as the owner', async () => {
  await page.viewport(1100, 800)
  await openAfterItsTest(TokenMode)
  await userEvent.fill(page.getByLabelText('Username'), 'demo.owner')
  await userEvent.fill(page.getByLabelText('Password'), 'demo-password')
  await userEvent.click(page.getByRole('button', { name: 'Sign in' }))
  await expect.element(page.getByText(/Payroll this week/)).toBeVisible()
  await expect.element(page.getByRole('list', { name: "Today's classes" })).toBeVisible()
  const portal = await page.screenshot({
    path: `../../${dir}/staff-portal.png`,
    element: page.getByRole('banner').element().closest('.mb-portal')!,
  })
  expect(portal).toMatch(/staff-portal\.png$/)
})
