/** `setTimeout` cannot wait longer than this; a later time is reached in steps. */
const MAX_DELAY = 2 ** 31 - 1

/** Timers that run at a wall-clock time, survive long waits, and are all cleared at once. */
export function createSessionTimers() {
  let timers: ReturnType<typeof setTimeout>[] = []
  const at = (time: number, run: () => void): void => {
    const wait = Math.min(Math.max(time - Date.now(), 0), MAX_DELAY)
    timers.push(setTimeout(() => (Date.now() >= time ? run() : at(time, run)), wait))
  }
  const clear = () => {
    timers.forEach(clearTimeout)
    timers = []
  }
  return { at, clear }
}
