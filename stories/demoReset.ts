/** The event a play sends when it is done, so the story starts afresh for the visitor. */
export const RESET_EVENT = 'mindbody-demo:reset'

/**
 * Ends a play by resetting the story to a fresh start (a new QueryClient, the component remounted),
 * with a line saying what the test just did, so a visitor lands on a state that invites them in.
 * With `remount: false` only the line is shown, for a story whose documents must stay (iframes).
 */
export function resetAfterPlay(
  canvasElement: HTMLElement,
  whatTheTestDid: string,
  { remount = true }: { remount?: boolean } = {},
): void {
  canvasElement.dispatchEvent(
    new CustomEvent(RESET_EVENT, { bubbles: true, detail: { whatTheTestDid, remount } }),
  )
}
