import type { Preview } from '@storybook/react-vite'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { initialize, mswLoader } from 'msw-storybook-addon'
import { useEffect, useRef, useState } from 'react'
import { MindbodyProvider, type MindbodyProviderProps } from '../src'
import { RESET_EVENT } from '../stories/demoReset'
import './preview.css'

initialize({ onUnhandledRequest: 'bypass', quiet: true })

const preview: Preview = {
  loaders: [mswLoader],
  parameters: {
    layout: 'centered',
    a11y: { test: 'error' },
    options: {
      storySort: {
        order: [
          'Introduction',
          'Staff portal',
          'Staff sign-in',
          'Token lifecycle',
          'Embedded widgets',
          'Front desk',
          'Live (real Mindbody API)',
        ],
      },
    },
  },
  // Each story gets a fresh QueryClient, and a MindbodyProvider for the sandbox site -99 that
  // `parameters.mindbody` can override; stories may nest their own providers. `parameters.caption`
  // says on the canvas what the story shows and what to try. When its play is done, the story starts
  // afresh (see resetAfterPlay), saying what the test did.
  decorators: [
    (Story, { parameters }) => {
      const [run, setRun] = useState(() => ({ key: 0, queryClient: new QueryClient(), ran: '' }))
      const frame = useRef<HTMLDivElement>(null)
      useEffect(() => {
        // The play sends the event from its canvas, which holds this frame: it bubbles up to the document.
        const onReset = (event: Event) => {
          if (!(event.target as Node).contains(frame.current)) return
          const { whatTheTestDid, remount } = (event as CustomEvent).detail
          setRun((last) =>
            remount
              ? { key: last.key + 1, queryClient: new QueryClient(), ran: whatTheTestDid }
              : { ...last, ran: whatTheTestDid },
          )
        }
        document.addEventListener(RESET_EVENT, onReset)
        return () => document.removeEventListener(RESET_EVENT, onReset)
      }, [])
      const props = parameters.mindbody as Partial<MindbodyProviderProps> | undefined
      // The line about the test is for the visitor's arrival: their first click or key clears it (after the
      // click has landed: clearing it moves what is below).
      const acted = () => setRun((last) => (last.ran ? { ...last, ran: '' } : last))
      return (
        <div ref={frame} className="mb-frame" onClickCapture={acted} onKeyDownCapture={acted}>
          {parameters.caption && <p className="mb-caption">{parameters.caption}</p>}
          {run.ran && (
            <p className="mb-ran" role="status">
              This story's own test just ran: {run.ran} Now it is your turn.
            </p>
          )}
          <QueryClientProvider client={run.queryClient} key={run.key}>
            <MindbodyProvider siteId={-99} {...props}>
              <Story />
            </MindbodyProvider>
          </QueryClientProvider>
        </div>
      )
    },
  ],
}

export default preview
