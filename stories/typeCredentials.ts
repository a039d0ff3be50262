import type { within } from 'storybook/test'
import type { MockStaffUser } from '../src/testing'

/** Types a username and a password into the form in `scope` and presses Enter, as a person would. */
export async function typeCredentials(
  userEvent: { type(element: Element, text: string): Promise<void> },
  scope: ReturnType<typeof within>,
  { Username, Password }: Pick<MockStaffUser, 'Username' | 'Password'>,
) {
  await userEvent.type(scope.getByLabelText('Username'), Username)
  await userEvent.type(scope.getByLabelText('Password'), `${Password}{Enter}`)
}
