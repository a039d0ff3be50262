/**
 * Adds `listener` for each of `types` on `target` (the window when it exists; nothing on the server)
 * and returns the one stop that removes them all.
 */
export function listen(
  types: readonly string[],
  listener: (event: Event) => void,
  target: EventTarget | undefined = typeof window === 'undefined' ? undefined : window,
  options?: AddEventListenerOptions,
): () => void {
  for (const type of types) target?.addEventListener(type, listener, options)
  return () => {
    for (const type of types) target?.removeEventListener(type, listener, options)
  }
}
