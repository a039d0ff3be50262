import { expect } from 'vitest'
import { MindbodyError } from '../src'

/** The `MindbodyError` that `promise` rejects with; fails the test if it resolves or rejects otherwise. */
export const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('expected a MindbodyError'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(MindbodyError)
      return error as MindbodyError
    },
  )
