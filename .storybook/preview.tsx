import type { Preview } from '@storybook/react-vite'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { initialize, mswLoader } from 'msw-storybook-addon'
import { useState } from 'react'
import { MindbodyProvider, type MindbodyProviderProps } from '../src'
import './preview.css'

initialize({ onUnhandledRequest: 'bypass', quiet: true })

const preview: Preview = {
  loaders: [mswLoader],
  parameters: {
    layout: 'centered',
    a11y: { test: 'error' },
  },
  // Each story gets a fresh QueryClient, and a MindbodyProvider for the sandbox site -99 that
  // `parameters.mindbody` can override; stories may nest their own providers.
  decorators: [
    (Story, { parameters }) => {
      const [queryClient] = useState(() => new QueryClient())
      const props = parameters.mindbody as Partial<MindbodyProviderProps> | undefined
      return (
        <QueryClientProvider client={queryClient}>
          <MindbodyProvider siteId={-99} {...props}>
            <Story />
          </MindbodyProvider>
        </QueryClientProvider>
      )
    },
  ],
}

export default preview
