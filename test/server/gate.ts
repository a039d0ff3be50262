/** Holds a request where it stands until `open()`; `arrived` settles when it got there. */
export interface Gate {
  arrived: Promise<void>
  arrive(): void
  opened: Promise<void>
  open(): void
}

/** A gate nobody has reached or opened yet. */
export function gate(): Gate {
  let arrive!: () => void
  let open!: () => void
  const arrived = new Promise<void>((resolve) => (arrive = resolve))
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { arrived, arrive, opened, open }
}

/**
 * What a model run does last, whatever failed: every request it ever held is let go and answered, so
 * none outlives the run.
 */
export async function releaseHeld(held: Array<{ gate: Gate; answer: Promise<unknown> }>) {
  for (const { gate: each, answer } of held) {
    each.open()
    await answer.catch(() => undefined)
  }
}
