/**
 * How far the server's clock runs ahead of this device's, in ms, as read from the `Date` header of
 * the answer that brought a token. Kept beside the token object the core returns, so the hooks can
 * time expiry by the server's clock without the token itself growing a field.
 */
const offsets = new WeakMap<object, number>()

/** The `Date` header counts whole seconds, so a smaller difference is noise and is read as 0. */
const NOISE_MS = 2_000

/** Notes the server clock offset that `dateHeader` shows for `result`; an unreadable header notes nothing. */
export function noteServerDate(result: object, dateHeader: unknown): void {
  const serverNow = typeof dateHeader === 'string' ? Date.parse(dateHeader) : NaN
  if (Number.isNaN(serverNow)) return
  const offset = serverNow - Date.now()
  offsets.set(result, Math.abs(offset) < NOISE_MS ? 0 : offset)
}

/** The server clock offset noted for `result`, or `undefined` when its answer had no readable `Date`. */
export const serverClockOffset = (result: object): number | undefined => offsets.get(result)
