type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * A failed request a story sets out to show, as `'<status or net::ERR_…> <METHOD> <path ending>'`:
 * `'403 POST /usertoken/issue'` is Mindbody's 403 to a sign-in, `'net::ERR_FAILED POST /usertoken/issue'`
 * a sign-in nothing answered.
 */
export type ExpectedRequestFailure = `${number | `net::ERR_${string}`} ${Method} /${string}`

/** What a story's console may show because the story is about it. */
export interface ExpectedFailures {
  /** Each failed request the story shows: Chromium logs every one in the console. */
  requests?: ExpectedRequestFailure[]
  /** Text of each console error or warning the story causes on purpose. */
  console?: string[]
}

/**
 * The parameter that names the failures a story sets out to show, such as a wrong password's 403.
 * `npm run test:storybook` (test/storybook/run.mjs) fails a story on any failed request, console error
 * or console warning it did not name here, and on a named one that never comes.
 *
 * @example
 * parameters: { ...mock(), ...expectedFailures('403 POST /usertoken/issue') }
 */
export const expectedFailures = (
  ...requests: ExpectedRequestFailure[]
): { expectedFailures: ExpectedFailures } => ({ expectedFailures: { requests } })
