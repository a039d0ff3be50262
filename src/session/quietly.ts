/** Runs `work`, answering `undefined` when it throws: a storage that refuses to answer holds nothing. */
export const quietly = async <T>(work: () => T | Promise<T>): Promise<T | undefined> => {
  try {
    return await work()
  } catch {
    return undefined
  }
}
