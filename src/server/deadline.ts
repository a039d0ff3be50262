/**
 * `work`'s result, or a rejection with `failure` when it has not settled within `ms`: a store that
 * stalls holds no request open longer than that.
 */
export function deadline<T>(work: Promise<T>, ms: number, failure: unknown): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure), ms)
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}
