'use client'
// The client components a server component may render (the react-server condition re-exports them):
// built as a file of its own that starts with 'use client', so a bundler makes them client references.
export { MindbodyProvider } from './react/MindbodyProvider'
export { UserTokenGate } from './react/UserTokenGate'
export type { MindbodyLifecycleProps, MindbodyProviderProps } from './react/MindbodyProvider'
export type { UserTokenGateProps } from './react/UserTokenGate'
