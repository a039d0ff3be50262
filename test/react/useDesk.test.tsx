import { QueryClient } from '@tanstack/react-query'
import { act, waitFor } from '@testing-library/react'
import axios from 'axios'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useApproval, useDesk } from '../../src'
import { ADA, ADA_ID, HEDY, HEDY_ID, serveDesk, signInWithPin } from '../deskProxy'
import { rejection } from '../rejection'
import { renderHookWithProviders, type ProvidersOptions } from '../renderWithProviders'
import { useSession } from '../renderSignedIn'
import { server } from '../server'

const serverMode: ProvidersOptions = { baseURL: '/mindbody', mode: 'server' }
const useFrontDesk = () => ({ ...useSession(), desk: useDesk() })
type View = ReturnType<typeof renderHookWithProviders<ReturnType<typeof useFrontDesk>>>

afterEach(() => void vi.restoreAllMocks())

/** `count` widgets of one page, each its own React root, QueryClient and provider. */
async function onePage(count = 2) {
  const signOuts = Array.from({ length: count }, () => vi.fn())
  const roots = signOuts.map((onSignOut) =>
    renderHookWithProviders(useFrontDesk, { ...serverMode, queryClient: new QueryClient(), onSignOut }),
  )
  for (const root of roots) await waitFor(() => expect(root.result.current.desk.isPending).toBe(false))
  return { roots, signOuts }
}

/** What each root shows: who is signed in, and the desk. */
const shown = (roots: View[]) =>
  roots.map(({ result: { current } }) => ({
    user: current.state.user?.FirstName ?? null,
    reason: current.state.signOutReason,
    isLocked: current.desk.isLocked,
    active: current.desk.active?.name ?? null,
    staff: current.desk.staff.map(
      (s) => `${s.name}${s.isActive ? ' (active)' : ''}${s.hasPin ? ' PIN' : ''}`,
    ),
  }))
const everyRoot = async (roots: View[], expected: ReturnType<typeof shown>[number]) =>
  waitFor(() => expect(shown(roots)).toEqual(roots.map(() => expected)))

describe('useDesk', () => {
  it('signs two staff in, locks, unlocks, switches and ends shifts, every root of the page following', async () => {
    const desk = serveDesk()
    const { roots, signOuts } = await onePage()
    const [a, b] = roots as [View, View]
    await everyRoot(roots, { user: null, reason: null, isLocked: false, active: null, staff: [] })

    await signInWithPin(a, ADA, '4711')
    await everyRoot(roots, {
      user: 'Ada',
      reason: null,
      isLocked: false,
      active: 'Ada Lovelace',
      staff: ['Ada Lovelace (active) PIN'],
    })
    await signInWithPin(b, HEDY, '2580')
    const hedyActive = ['Ada Lovelace PIN', 'Hedy Lamarr (active) PIN']
    await everyRoot(roots, {
      user: 'Hedy',
      reason: null,
      isLocked: false,
      active: 'Hedy Lamarr',
      staff: hedyActive,
    })

    await act(() => a.result.current.desk.lock())
    const locked = ['Ada Lovelace PIN', 'Hedy Lamarr PIN']
    await everyRoot(roots, { user: null, reason: 'locked', isLocked: true, active: null, staff: locked })
    expect(signOuts.map((s) => s.mock.calls)).toEqual([[['locked']], [['locked']]])

    await act(() => b.result.current.desk.unlock({ userId: ADA_ID, pin: '4711' }))
    const adaActive = ['Ada Lovelace (active) PIN', 'Hedy Lamarr PIN']
    await everyRoot(roots, {
      user: 'Ada',
      reason: null,
      isLocked: false,
      active: 'Ada Lovelace',
      staff: adaActive,
    })

    // A switch is an unlock as someone else, with no lock in between.
    await act(() => a.result.current.desk.unlock({ userId: HEDY_ID, pin: '2580' }))
    await everyRoot(roots, {
      user: 'Hedy',
      reason: null,
      isLocked: false,
      active: 'Hedy Lamarr',
      staff: hedyActive,
    })

    await act(() => b.result.current.desk.endShift(ADA_ID))
    const hedyAlone = ['Hedy Lamarr (active) PIN']
    await everyRoot(roots, {
      user: 'Hedy',
      reason: null,
      isLocked: false,
      active: 'Hedy Lamarr',
      staff: hedyAlone,
    })

    await act(() => a.result.current.desk.endShift())
    await everyRoot(roots, { user: null, reason: 'revoked', isLocked: false, active: null, staff: [] })
    expect(signOuts.map((s) => s.mock.calls)).toEqual([
      [['locked'], ['revoked']],
      [['locked'], ['revoked']],
    ])
    // Nothing was revoked but by the end of each shift; each call carried the site and the CSRF header.
    expect(desk.sent('DELETE', '/public/v6/usertoken/revoke')).toEqual([])
    expect(desk.sent('POST', '/desk/end').map((r) => r.body)).toEqual([`{"UserId":${ADA_ID}}`, '{}'])
    const changes = desk.requests.filter((r) => r.method !== 'GET')
    expect(changes.every((r) => r.headers.get('X-Mindbody-Proxy') === '1')).toBe(true)
  })

  it('keeps the desk locked on a wrong PIN, says how many tries are left, and keeps the PIN nowhere', async () => {
    const desk = serveDesk()
    const log = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level))
    const { roots } = await onePage(1)
    const [a] = roots as [View]
    await signInWithPin(a, ADA, '4711')
    await act(() => a.result.current.desk.lock())

    const wrong = await act(() => rejection(a.result.current.desk.unlock({ userId: ADA_ID, pin: '9999' })))
    expect(wrong).toMatchObject({ status: 403, code: 'WrongPin', details: { Error: { AttemptsLeft: 2 } } })
    const bad = await act(() => rejection(a.result.current.desk.unlock({ userId: ADA_ID, pin: '99a9' })))
    expect(bad).toMatchObject({ kind: 'invalid-input', message: 'Invalid pin' })
    expect(desk.sent('POST', '/desk/unlock')).toHaveLength(1)
    expect(shown(roots)[0]).toMatchObject({ user: null, isLocked: true, reason: 'locked' })

    const kept = JSON.stringify([
      wrong,
      bad,
      a.queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.state),
      a.queryClient
        .getMutationCache()
        .getAll()
        .map((m) => m.state),
      log.map((spy) => spy.mock.calls),
      { ...localStorage },
      { ...sessionStorage },
    ])
    for (const pin of ['4711', '9999', '99a9']) expect(kept).not.toContain(pin)
  })

  it('ends the sign-in as locked when any call answers 423 DeskLocked', async () => {
    const desk = serveDesk()
    const { roots, signOuts } = await onePage()
    await signInWithPin(roots[0]!, ADA, '4711')
    desk.lockElsewhere()
    await expect(roots[1]!.result.current.client.get('/staff/staff')).rejects.toMatchObject({
      status: 423,
      code: 'DeskLocked',
    })
    await everyRoot(roots, {
      user: null,
      reason: 'locked',
      isLocked: true,
      active: null,
      staff: ['Ada Lovelace PIN'],
    })
    expect(signOuts.map((s) => s.mock.calls)).toEqual([[['locked']], [['locked']]])
  })

  it('restores a locked desk as signed out, and shows who can unlock', async () => {
    const desk = serveDesk()
    const headers = { SiteId: '-99', 'X-Mindbody-Proxy': '1' }
    await axios.post('/mindbody/public/v6/usertoken/issue', ADA, { headers })
    await axios.post('/mindbody/desk/pin', { Pin: '4711' }, { headers })
    await axios.post('/mindbody/desk/lock', undefined, { headers })
    desk.requests.length = 0

    const { roots } = await onePage(1)
    await waitFor(() => expect(roots[0]!.result.current.state.isRestoring).toBe(false))
    expect(shown(roots)[0]).toEqual({
      user: null,
      reason: null,
      isLocked: true,
      active: null,
      staff: ['Ada Lovelace PIN'],
    })
    await act(() => roots[0]!.result.current.desk.unlock({ userId: ADA_ID, pin: '4711' }))
    await everyRoot(roots, {
      user: 'Ada',
      reason: null,
      isLocked: false,
      active: 'Ada Lovelace',
      staff: ['Ada Lovelace (active) PIN'],
    })
  })

  it('hears a desk locked behind its back when it revalidates, and signs out as locked', async () => {
    const desk = serveDesk()
    const { roots } = await onePage(1)
    await signInWithPin(roots[0]!, ADA, '4711')
    desk.lockElsewhere()
    act(() => void window.dispatchEvent(new Event('focus')))
    await waitFor(() =>
      expect(shown(roots)[0]).toMatchObject({ user: null, reason: 'locked', isLocked: true }),
    )
  })

  it('lets no late answer of a revalidation end a newer unlock', async () => {
    const desk = serveDesk()
    const { roots } = await onePage(1)
    const [a] = roots as [View]
    await signInWithPin(a, ADA, '4711')
    await signInWithPin(a, HEDY, '2580')
    // The revalidation is answered late, with the desk as it was a moment ago: locked.
    let answer = () => {}
    const late = new Promise<void>((resolve) => (answer = resolve))
    const stale = { Desk: { Locked: true, PinLength: 4, Staff: [] } }
    let asked = false
    const lateAnswer = async () => ((asked = true), await late, HttpResponse.json(stale))
    server.use(http.get('*/mindbody/session', lateAnswer, { once: true }))
    const focus = () => act(() => void window.dispatchEvent(new Event('focus')))
    const reads = () => desk.sent('GET', '/session').length
    focus()
    await waitFor(() => expect(asked).toBe(true))
    await act(() => a.result.current.desk.unlock({ userId: ADA_ID, pin: '4711' }))
    await waitFor(() => expect(shown(roots)[0]).toMatchObject({ user: 'Ada', active: 'Ada Lovelace' }))
    const settled = reads()
    answer()
    // The next revalidation starts only once the late one has been handled.
    await waitFor(() => {
      focus()
      expect(reads()).toBeGreaterThan(settled)
    })
    expect(shown(roots)[0]).toMatchObject({ user: 'Ada', reason: null, isLocked: false })
  })

  it('refuses token mode with a clear MindbodyError, as useApproval does', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    for (const hook of [useDesk, useApproval])
      expect(() => renderHookWithProviders(() => hook())).toThrow(
        'The front desk lives on the /server proxy: use it with <MindbodyProvider mode="server">',
      )
  })
})
