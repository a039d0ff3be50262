import { afterEach, describe, expect, it, vi } from 'vitest'
import { recentlyOpened } from '../../src/server/cookie/recentlyOpened'

describe('recentlyOpened', () => {
  afterEach(() => vi.useRealTimers())

  it('keeps at most `limit` cookies, dropping the oldest first', () => {
    const opened = recentlyOpened<{ n: number }>(3)
    for (let n = 0; n < 5; n++) opened.set(`cookie-${n}`, { n }, Date.now() + 60_000)
    expect([0, 1, 2, 3, 4].map((n) => opened.get(`cookie-${n}`)?.n)).toEqual([undefined, undefined, 2, 3, 4])
  })

  it('keeps each for ttlMs at most, and never past its own expiry', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const opened = recentlyOpened<{ n: number }>(10, 30_000)
    opened.set('lasting', { n: 1 }, Date.now() + 3_600_000)
    opened.set('expiring', { n: 2 }, Date.now() + 5_000)
    vi.setSystemTime(Date.now() + 5_000)
    expect([opened.get('lasting')?.n, opened.get('expiring')?.n]).toEqual([1, undefined])
    vi.setSystemTime(Date.now() + 25_000)
    expect(opened.get('lasting')).toBeUndefined()
  })

  it('forgets a cookie by what it opened as', () => {
    const opened = recentlyOpened<{ n: number }>()
    const value = { n: 1 }
    opened.set('cookie', value, Date.now() + 60_000)
    opened.forget(value)
    expect(opened.get('cookie')).toBeUndefined()
  })
})
