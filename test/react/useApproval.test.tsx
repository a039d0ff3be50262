import { QueryClient } from '@tanstack/react-query'
import { act, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useApproval, useDesk, useMindbodyClient, type PendingApproval } from '../../src'
import { ADA, ADA_ID, HEDY, HEDY_ID, REFUND, serveDesk } from '../deskProxy'
import { rejection } from '../rejection'
import { renderHookWithProviders, type ProvidersOptions } from '../renderWithProviders'
import { useSession } from '../renderSignedIn'

const serverMode: ProvidersOptions = { baseURL: '/mindbody', mode: 'server' }
const REFUND_BODY = { SaleId: 42, Amount: 19.5 }
const usePointOfSale = () => ({ ...useSession(), desk: useDesk(), approval: useApproval() })
const useTill = () => ({ client: useMindbodyClient(), approval: useApproval() })

afterEach(() => void vi.restoreAllMocks())

/**
 * A page with a point of sale (Hedy, a manager, signed in with a PIN, then Ada at the desk) and a till:
 * two React roots, each its own provider.
 */
async function frontDesk() {
  const desk = serveDesk()
  const pos = renderHookWithProviders(usePointOfSale, { ...serverMode, queryClient: new QueryClient() })
  const till = renderHookWithProviders(useTill, { ...serverMode, queryClient: new QueryClient() })
  await waitFor(() => expect(pos.result.current.state.isRestoring).toBe(false))
  for (const [staff, pin] of [
    [HEDY, '2580'],
    [ADA, '4711'],
  ] as const) {
    await act(() => pos.result.current.signIn.mutateAsync(staff))
    await waitFor(() =>
      expect(pos.result.current.desk.active?.name).toContain(staff === ADA ? 'Ada' : 'Hedy'),
    )
    await act(() => pos.result.current.desk.setPin(pin))
  }
  const refund = (signal?: AbortSignal) => till.result.current.client.post(REFUND, REFUND_BODY, { signal })
  const pendingIn = () => [pos, till].map((root) => root.result.current.approval.pending)
  return { desk, pos, till, refund, pendingIn }
}

describe('useApproval', () => {
  it('holds a call that needs an approval, then sends it again approved, and its caller gets the answer', async () => {
    const { desk, pos, refund, pendingIn } = await frontDesk()
    let settled = false
    const call = refund().finally(() => (settled = true))
    await waitFor(() => expect(pendingIn()[0]).not.toBeNull())
    const expected: PendingApproval = {
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      permissions: ['RefundSales'],
      needsReason: true,
      method: 'post',
      url: REFUND,
    }
    // Every provider of the page shows the one call that waits; the call itself waits.
    expect(pendingIn()).toEqual([expected, expected])
    expect(settled).toBe(false)

    await act(() =>
      pos.result.current.approval.approve({ userId: HEDY_ID, pin: '2580', reason: 'Charged twice' }),
    )
    const { data, status } = await call
    expect([status, data]).toEqual([200, { ReturnSaleId: 7, Refunded: REFUND_BODY }])
    await waitFor(() => expect(pendingIn()).toEqual([null, null]))

    const [first, again] = desk.sent('POST', `/public/v6${REFUND}`)
    const id = pendingIdOf(desk)
    expect(first!.headers.has('X-Mindbody-Approval')).toBe(false)
    expect(again!.headers.get('X-Mindbody-Approval')).toBe(id)
    expect(again!.body).toBe(first!.body)
    expect(desk.sent('POST', `/desk/approvals/${id}`).map((r) => JSON.parse(r.body))).toEqual([
      { UserId: HEDY_ID, Pin: '2580', Reason: 'Charged twice' },
    ])
    // The page is still Ada's: an approval is no switch.
    expect(pos.result.current.state.user?.FirstName).toBe('Ada')
  })

  it('keeps the call waiting through a wrong PIN or a staff member without the permission', async () => {
    const { pos, refund, pendingIn } = await frontDesk()
    const call = refund()
    await waitFor(() => expect(pendingIn()[0]).not.toBeNull())
    const { approve } = pos.result.current.approval
    const wrong = await act(() => rejection(approve({ userId: HEDY_ID, pin: '0000', reason: 'r' })))
    expect(wrong).toMatchObject({ status: 403, code: 'WrongPin', details: { Error: { AttemptsLeft: 2 } } })
    const denied = await act(() => rejection(approve({ userId: ADA_ID, pin: '4711', reason: 'r' })))
    expect(denied).toMatchObject({ status: 403, code: 'PermissionDenied', problem: 'permission-denied' })
    const bad = await act(() => rejection(approve({ userId: HEDY_ID, pin: '25 80', reason: 'r' })))
    expect(bad).toMatchObject({ kind: 'invalid-input', message: 'Invalid pin' })
    expect(pendingIn()[0]).not.toBeNull()
    expect(pos.result.current.state.user?.FirstName).toBe('Ada')
    for (const error of [wrong, denied, bad]) expect(JSON.stringify(error)).not.toMatch(/0000|4711|25 80/)

    await act(() => approve({ userId: HEDY_ID, pin: '2580', reason: 'r' }))
    expect((await call).status).toBe(200)
  })

  it('fails the call as aborted when the approval is cancelled, and tells the proxy', async () => {
    const { desk, till, refund, pendingIn } = await frontDesk()
    const call = rejection(refund())
    await waitFor(() => expect(pendingIn()[1]).not.toBeNull())
    const id = pendingIn()[1]!.id
    await act(() => till.result.current.approval.cancel())
    expect(await call).toMatchObject({
      kind: 'aborted',
      code: 'ApprovalCancelled',
      message: 'Approval cancelled',
    })
    expect(pendingIn()).toEqual([null, null])
    expect(desk.sent('DELETE', `/desk/approvals/${id}`)).toHaveLength(1)
    expect(desk.sent('POST', `/public/v6${REFUND}`)).toHaveLength(1)
  })

  it("cancels the approval when the call's own signal aborts", async () => {
    const { desk, refund, pendingIn } = await frontDesk()
    const controller = new AbortController()
    const call = rejection(refund(controller.signal))
    await waitFor(() => expect(pendingIn()[0]).not.toBeNull())
    const id = pendingIn()[0]!.id
    act(() => controller.abort())
    expect(await call).toMatchObject({ kind: 'aborted', message: 'Request aborted' })
    await waitFor(() => expect(desk.sent('DELETE', `/desk/approvals/${id}`)).toHaveLength(1))
    expect(pendingIn()).toEqual([null, null])
  })

  it('fails the call with the 404 of an approval the proxy no longer knows', async () => {
    const { desk, pos, refund, pendingIn } = await frontDesk()
    const call = rejection(refund())
    await waitFor(() => expect(pendingIn()[0]).not.toBeNull())
    desk.approvals.clear()
    const expired = await act(() =>
      rejection(pos.result.current.approval.approve({ userId: HEDY_ID, pin: '2580', reason: 'r' })),
    )
    expect(expired).toMatchObject({ status: 404, code: 'NotFound' })
    expect(await call).toBe(expired)
    expect(pendingIn()).toEqual([null, null])
  })

  it('lets the call fail with its 403 when no useApproval is mounted, and cancels what waits when the last one goes', async () => {
    const { pos, till, refund, pendingIn } = await frontDesk()
    const call = rejection(refund())
    await waitFor(() => expect(pendingIn()[0]).not.toBeNull())
    pos.unmount()
    till.unmount()
    expect(await call).toMatchObject({ kind: 'aborted', code: 'ApprovalCancelled' })

    const alone = renderHookWithProviders(() => useMindbodyClient(), serverMode)
    const refused = await rejection(alone.result.current.post(REFUND, REFUND_BODY))
    expect(refused).toMatchObject({ status: 403, code: 'ApprovalRequired' })
  })
})

/** The id of the only approval the proxy has handed out. */
function pendingIdOf(desk: ReturnType<typeof serveDesk>) {
  const [id] = desk.approvals.keys()
  return id
}
