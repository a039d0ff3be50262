'use client'
import type { ReactNode } from 'react'
import { MindbodyProvider } from 'react-mindbody-user-token'

/** Token mode, for the test: the token in localStorage, Mindbody's stand-in behind a rewrite. */
export default function TokenLayout({ children }: { children: ReactNode }) {
  return (
    <MindbodyProvider siteId={-99} baseURL="/stand-in" storage="local">
      {children}
    </MindbodyProvider>
  )
}
