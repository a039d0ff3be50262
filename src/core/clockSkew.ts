/** The `Date` header counts whole seconds, so a smaller difference is noise and is read as 0. */
const NOISE_MS = 2_000

/**
 * How far the server's clock runs ahead of this device's, in ms, as an answer's `Date` header shows
 * it; `undefined` when the header is missing or unreadable.
 */
export function clockSkew(dateHeader: unknown): number | undefined {
  const serverNow = typeof dateHeader === 'string' ? Date.parse(dateHeader) : NaN
  if (Number.isNaN(serverNow)) return undefined
  const skew = serverNow - Date.now()
  return Math.abs(skew) < NOISE_MS ? 0 : skew
}
