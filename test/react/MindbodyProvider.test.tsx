import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query'
import { act, render, renderHook, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import axios from 'axios'
import { http, HttpResponse } from 'msw'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import {
  MindbodyProvider,
  useIssueToken,
  useMindbodyClient,
  useMindbodyConfig,
  useRevokeToken,
  useUserToken,
  userTokenKeys,
} from '../../src'
import { renderHookWithProviders } from '../renderWithProviders'
import { server, STAFF, serveMockMindbody } from '../server'

describe('MindbodyProvider', () => {
  it.each([
    ['useIssueToken', useIssueToken],
    ['useRevokeToken', useRevokeToken],
    ['useUserToken', useUserToken],
    ['useMindbodyConfig', useMindbodyConfig],
  ])('makes %s outside a provider throw a sentence naming it and the provider', (name, hook) => {
    const quiet = console.error
    console.error = () => {}
    try {
      expect(() => renderHook(() => hook())).toThrow(
        new RegExp(`${name} must be used inside <MindbodyProvider>`),
      )
    } finally {
      console.error = quiet
    }
  })

  it('hands the resolved config to useMindbodyConfig', () => {
    const instance = axios.create()
    const { result } = renderHookWithProviders(useMindbodyConfig, {
      siteId: '123',
      baseURL: '/mindbody/',
      axios: instance,
      timeoutMs: 5000,
    })
    expect(result.current).toEqual({
      siteId: '123',
      version: '6',
      baseURL: '/mindbody',
      authScheme: 'raw',
      mode: 'token',
      axios: instance,
      timeoutMs: 5000,
      apiKey: undefined,
    })
  })

  it("gives its children its own QueryClient when there is no QueryClientProvider: the reference's useQuery runs", async () => {
    const { mindbody } = serveMockMindbody()
    server.use(
      http.get('https://api.mindbodyonline.com/public/v6/staff/staff', ({ request }) =>
        mindbody.isValid(request.headers.get('Authorization') ?? '')
          ? HttpResponse.json({ StaffMembers: [{ Id: 1, FirstName: 'Ada' }] })
          : new HttpResponse(null, { status: 401 }),
      ),
    )
    // The reference's example, as written, under a provider with nothing around it.
    function Staff() {
      const client = useMindbodyClient()
      const staff = useQuery({
        queryKey: ['staff'],
        queryFn: () => client.get('/staff/staff').then((r) => r.data),
      })
      return <p>{staff.data ? `${staff.data.StaffMembers.length} staff` : 'loading'}</p>
    }
    function SignIn() {
      const signIn = useIssueToken()
      const { isAuthenticated } = useUserToken()
      return isAuthenticated ? <Staff /> : <button onClick={() => signIn.mutate(STAFF)}>Sign in</button>
    }
    render(
      <MindbodyProvider siteId={-99}>
        <SignIn />
      </MindbodyProvider>,
    )
    await userEvent.click(await screen.findByRole('button', { name: 'Sign in' }))
    expect(await screen.findByText('1 staff')).toBeTruthy()
  })

  it('prefers the queryClient prop, then the nearest QueryClientProvider', async () => {
    serveMockMindbody()
    const prop = new QueryClient()
    const nearest = new QueryClient()
    const key = userTokenKeys.token({ siteId: -99 })
    const wrapper = (withProp: boolean) =>
      function Wrapper({ children }: { children?: ReactNode }) {
        return (
          <QueryClientProvider client={nearest}>
            <MindbodyProvider siteId={-99} queryClient={withProp ? prop : undefined}>
              {children}
            </MindbodyProvider>
          </QueryClientProvider>
        )
      }
    const first = renderHook(useIssueToken, { wrapper: wrapper(true) })
    await act(() => first.result.current.mutateAsync(STAFF))
    expect(prop.getQueryData(key)).toBeTruthy()
    expect(nearest.getQueryData(key)).toBeUndefined()

    const second = renderHook(useIssueToken, { wrapper: wrapper(false) })
    await act(() => second.result.current.mutateAsync(STAFF))
    expect(nearest.getQueryData(key)).toBeTruthy()
  })

  it('works with no React Query set-up at all', async () => {
    serveMockMindbody()
    function Widget() {
      const signIn = useIssueToken()
      const { user } = useUserToken()
      return user ? (
        <p>Hello {user.FirstName}</p>
      ) : (
        <button onClick={() => signIn.mutate(STAFF)}>Sign in</button>
      )
    }
    render(
      <MindbodyProvider siteId={-99}>
        <Widget />
      </MindbodyProvider>,
    )
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByText('Hello Ada')).toBeTruthy()
  })

  it('keeps the tokens of two sites apart in one QueryClient', async () => {
    serveMockMindbody({
      users: [
        { Username: 'a', Password: 'pa', siteId: 1, User: { FirstName: 'Site one' } },
        { Username: 'b', Password: 'pb', siteId: 2, User: { FirstName: 'Site two' } },
      ],
    })
    const queryClient = new QueryClient()
    function Site({ label, request }: { label: string; request: typeof STAFF }) {
      const signIn = useIssueToken()
      const signOut = useRevokeToken()
      const { user } = useUserToken()
      return (
        <section aria-label={label}>
          <p>{user?.FirstName ?? 'signed out'}</p>
          <button onClick={() => signIn.mutate(request)}>in {label}</button>
          <button onClick={() => signOut.mutate()}>out {label}</button>
        </section>
      )
    }
    render(
      <QueryClientProvider client={queryClient}>
        <MindbodyProvider siteId={1}>
          <Site label="one" request={{ Username: 'a', Password: 'pa' }} />
        </MindbodyProvider>
        <MindbodyProvider siteId={2}>
          <Site label="two" request={{ Username: 'b', Password: 'pb' }} />
        </MindbodyProvider>
      </QueryClientProvider>,
    )
    await userEvent.click(screen.getByRole('button', { name: 'in one' }))
    await userEvent.click(screen.getByRole('button', { name: 'in two' }))
    await screen.findByText('Site one')
    await screen.findByText('Site two')
    await userEvent.click(screen.getByRole('button', { name: 'out one' }))
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'one' }).textContent).toContain('signed out'),
    )
    expect(screen.getByRole('region', { name: 'two' }).textContent).toContain('Site two')
  })
})
