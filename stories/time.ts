/** A time in the visitor's own time zone, e.g. "10:31:05" today or "30 Nov, 10:31". */
export function localTime(date: Date): string {
  const today = new Date().toDateString() === date.toDateString()
  return date.toLocaleString(undefined, {
    ...(today ? {} : { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
    second: today ? '2-digit' : undefined,
  })
}

/** How long until `date`, in words: "in 23 h 59 min", "in 42 s", or "now". */
export function relative(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000)
  if (seconds <= 0) return 'now'
  if (seconds < 60) return `in ${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `in ${minutes} min ${seconds % 60} s`
  return `in ${Math.floor(minutes / 60)} h ${minutes % 60} min`
}
