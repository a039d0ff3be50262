import { act, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  staffPermissionsQueryOptions,
  useIssueToken,
  useRenewToken,
  useRevokeToken,
  useStaffPermissions,
  UserTokenGate,
  useUserToken,
} from '../../src'
import { proxyInPage } from '../../stories/proxyInPage'
import { renderHookWithProviders, renderWithProviders, type ProvidersOptions } from '../renderWithProviders'
import { server, STAFF, serveMockMindbody } from '../server'

const MANAGER = { Username: 'demo.manager', Password: 'demo-password' }
const OWNER = { Username: 'demo.owner', Password: 'demo-password' }

const usePortal = () => ({
  signIn: useIssueToken(),
  signOut: useRevokeToken(),
  renew: useRenewToken(),
  user: useUserToken(),
  permissions: useStaffPermissions(),
})

const modes: Array<[string, ProvidersOptions]> = [
  ['token mode', {}],
  ['server mode', { baseURL: '/mindbody', mode: 'server' }],
]

/** Mock Mindbody (behind the real proxy in server mode); counts the permission reads that reach Mindbody. */
function serve(options: ProvidersOptions) {
  const mock = serveMockMindbody()
  if (options.mode === 'server') server.use(proxyInPage().handler)
  const reads = () =>
    mock.requests.filter((r) => r.url.startsWith('https://') && r.url.includes('/staff/staffpermissions'))
  /** The page's own reads: to Mindbody in token mode, to the proxy (which answers from the session) in server mode. */
  const pageReads = () => mock.requests.filter((r) => r.url.includes('/staff/staffpermissions?')).length
  return { ...mock, reads, pageReads }
}

describe.each(modes)('useStaffPermissions: %s', (_mode, options) => {
  it('reads them once per sign-in for three providers of one page, none after a renew, again after a new sign-in', async () => {
    const { reads, pageReads } = serve(options)
    const widgets = [1, 2, 3].map(() => renderHookWithProviders(usePortal, options).result)
    const [a, b] = widgets as [(typeof widgets)[0], (typeof widgets)[0]]
    for (const w of widgets) await waitFor(() => expect(w.current.user.isRestoring).toBe(false))
    expect(a.current.permissions.can('BookClassesAndEvents')).toBe(false) // signed out

    await act(() => a.current.signIn.mutateAsync(STAFF))
    for (const w of widgets)
      await waitFor(() => expect(w.current.permissions.can('BookClassesAndEvents')).toBe(true))
    expect(widgets.map((w) => w.current.permissions.can('RefundSales'))).toEqual([false, false, false])
    expect(b.current.permissions).toMatchObject({ isPending: false, error: null, ipRestricted: false })
    expect(b.current.permissions.groupName).toBe('Front Desk')
    // One Mindbody call per sign-in: the page's own in token mode, the proxy's at sign-in in server mode.
    expect(reads()).toHaveLength(1)
    expect(pageReads()).toBe(options.mode === 'server' ? 2 : 1) // the proxy's call, and the page's to the proxy

    await act(() => b.current.renew.mutateAsync())
    expect(reads()).toHaveLength(1)
    expect(a.current.permissions.can('BookClassesAndEvents')).toBe(true)

    await act(() => a.current.signOut.mutateAsync())
    for (const w of widgets) {
      await waitFor(() => expect(w.current.permissions.permissions).toBeUndefined())
      expect(w.current.permissions.can('BookClassesAndEvents')).toBe(false)
    }
    await act(() => b.current.signIn.mutateAsync(MANAGER))
    for (const w of widgets) await waitFor(() => expect(w.current.permissions.can('RefundSales')).toBe(true))
    expect(reads()).toHaveLength(2)
    expect(pageReads()).toBe(options.mode === 'server' ? 4 : 2)
  })

  it('gives an owner every permission with no call', async () => {
    const { reads, requests } = serve(options)
    const { result } = renderHookWithProviders(usePortal, options)
    await act(() => result.current.signIn.mutateAsync(OWNER))
    await waitFor(() => expect(result.current.permissions.can('RefundSales')).toBe(true))
    expect(result.current.permissions.permissions?.size).toBe(183)
    expect(result.current.permissions.groupName).toBeNull()
    expect(reads()).toHaveLength(0)
    expect(requests.filter((r) => r.url.includes('/staffpermissions'))).toHaveLength(0)
  })
})

describe('useStaffPermissions: while they load', () => {
  it('can() is false and isPending true until the answer comes, then says what the group allows', async () => {
    serve({})
    let answer = () => {}
    const held = new Promise<void>((resolve) => (answer = resolve))
    server.use(http.get('*/staff/staffpermissions', () => held.then(() => undefined)))
    const { result } = renderHookWithProviders(usePortal)
    await act(() => result.current.signIn.mutateAsync(MANAGER))
    await waitFor(() => expect(result.current.user.isAuthenticated).toBe(true))
    expect(result.current.permissions).toMatchObject({ isPending: true, permissions: undefined, error: null })
    expect(result.current.permissions.can('RefundSales')).toBe(false)
    answer()
    await waitFor(() => expect(result.current.permissions.can('RefundSales')).toBe(true))
    expect(result.current.permissions).toMatchObject({ isPending: false, groupName: 'Manager' })
  })
})

describe('useStaffPermissions: failures', () => {
  it('signs out when Mindbody answers the read with 401, as any call with the token', async () => {
    serve({})
    server.use(
      http.get('*/staff/staffpermissions', () =>
        HttpResponse.json({ Error: { Code: 'DeniedAccess', Message: 'Token expired' } }, { status: 401 }),
      ),
    )
    const { result } = renderHookWithProviders(usePortal)
    await act(() => result.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(result.current.user.signOutReason).toBe('unauthorized'))
    expect(result.current.permissions.can('BookClassesAndEvents')).toBe(false)
  })

  it('reports an answer that is not a permission group, and allows nothing', async () => {
    serve({})
    server.use(http.get('*/staff/staffpermissions', () => HttpResponse.json({ UserGroup: { Allowed: 1 } })))
    const { result } = renderHookWithProviders(usePortal)
    await act(() => result.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(result.current.permissions.error?.kind).toBe('invalid-response'))
    expect(result.current.permissions).toMatchObject({ permissions: undefined, isPending: true })
    expect(result.current.user.isAuthenticated).toBe(true)
  })
})

describe('staffPermissionsQueryOptions', () => {
  it('gives your own useQuery the same one read of the page', async () => {
    const { reads } = serve({})
    const { result } = renderHookWithProviders(() => ({
      ...usePortal(),
      // The client given, as React Query before 5.89 hands none to queryFn.
      query: useQuery(staffPermissionsQueryOptions({ siteId: -99 }, { queryClient: useQueryClient() })),
    }))
    await waitFor(() => expect(result.current.query.data).toBeNull()) // signed out
    await act(() => result.current.signIn.mutateAsync(MANAGER))
    await waitFor(() => expect(result.current.query.data?.permissions.has('RefundSales')).toBe(true))
    expect(result.current.permissions.can('RefundSales')).toBe(true)
    expect(reads()).toHaveLength(1)
  })
})

describe('UserTokenGate permission', () => {
  function Refunds({ who }: { who: typeof STAFF }) {
    const signIn = useIssueToken()
    return (
      <UserTokenGate fallback={<button onClick={() => signIn.mutate(who)}>Sign in</button>}>
        <UserTokenGate
          permission={['RefundSales', 'MakeSales']}
          restoring={<p>Checking permissions</p>}
          denied={<p>Ask a manager</p>}
        >
          <button>Refund</button>
        </UserTokenGate>
      </UserTokenGate>
    )
  }

  it.each([
    ['demo.manager', 'Refund'],
    ['demo.staff', 'Ask a manager'],
  ])('shows restoring while the permissions load, then %s sees %s', async (Username, shown) => {
    serve({})
    let answer = () => {}
    const held = new Promise<void>((resolve) => (answer = resolve))
    server.use(http.get('*/staff/staffpermissions', () => held.then(() => undefined)))
    renderWithProviders(<Refunds who={{ Username, Password: 'demo-password' }} />)
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByText('Checking permissions')).toBeTruthy()
    answer()
    expect(await screen.findByText(shown)).toBeTruthy()
    expect(screen.queryByText('Checking permissions')).toBeNull()
  })

  it('shows denied when Mindbody refuses to read the permissions', async () => {
    serve({})
    const refused = { Error: { Code: 'DeniedAccess', Message: 'Access denied' } }
    server.use(http.get('*/staff/staffpermissions', () => HttpResponse.json(refused, { status: 403 })))
    renderWithProviders(<Refunds who={MANAGER} />)
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByText('Ask a manager')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Refund' })).toBeNull()
  })
})
