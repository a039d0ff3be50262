import { QueryClient, useMutation, useQuery } from '@tanstack/react-query'
import { act, screen, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import {
  mindbodyMutationOptions,
  mindbodyQueryOptions,
  useIssueToken,
  useMindbodyApi,
  useRevokeToken,
  useUserToken,
  type MindbodyError,
} from '../../src'
import { serveProxyOverSocket } from '../proxyOverSocket'
import { renderHookWithProviders, renderWithProviders } from '../renderWithProviders'
import { server, serveMockMindbody, STAFF } from '../server'

const MANAGER = { Username: 'demo.manager', Password: 'demo-password' }
const useApiSession = () => ({
  api: useMindbodyApi(),
  signIn: useIssueToken(),
  signOut: useRevokeToken(),
  state: useUserToken(),
})
const closers: Array<() => Promise<void>> = []
afterEach(async () => void (await Promise.all(closers.splice(0).map((close) => close()))))

async function signedIn(credentials = STAFF, options = {}) {
  const view = renderHookWithProviders(useApiSession, options)
  await act(() => view.result.current.signIn.mutateAsync(credentials))
  await waitFor(() => expect(view.result.current.state.isAuthenticated).toBe(true))
  return view
}

describe('useMindbodyApi', () => {
  it("reads with the token: the path under /public/v6, Mindbody's list parameters, the typed answer", async () => {
    const { mindbody, requests } = serveMockMindbody()
    const { result } = await signedIn(STAFF, { apiKey: 'key-1' })
    const answer = await result.current.api.get('/class/classes', {
      query: { 'request.classIds': [1, 3], 'request.hideCanceledClasses': true },
    })

    expect(answer.Classes?.map((c) => c.ClassDescription?.Name)).toEqual([
      'Morning Flow',
      'Lunchtime HIIT',
      'Evening Yin',
    ])
    expect(answer.PaginationResponse).toMatchObject({ TotalResults: 3, RequestedLimit: 100 })
    const sent = requests.at(-1)!
    expect(sent.url).toBe(
      'https://api.mindbodyonline.com/public/v6/class/classes?request.classIds=1&request.classIds=3&request.hideCanceledClasses=true',
    )
    expect(sent.headers.get('Authorization')).toBe(mindbody.validTokens()[0])
    expect(sent.headers.get('SiteId')).toBe('-99')
    expect(sent.headers.get('Api-Key')).toBe('key-1')
  })

  it('reads through the /server proxy over a real socket: the cookie goes, no token or key is in the page', async () => {
    const { requests } = serveMockMindbody()
    const proxy = await serveProxyOverSocket()
    closers.push(proxy.close)
    const { result } = await signedIn(STAFF, { baseURL: '/mindbody', mode: 'server' })
    const answer = await result.current.api.get('/client/clients', {
      query: { 'request.searchText': 'curie', 'request.clientIDs': ['100015', '100017'] },
    })

    expect(answer.Clients?.map((c) => `${c.FirstName} ${c.LastName}`)).toEqual(['Marie Curie'])
    const read = proxy.sent.at(-1)!
    expect(read.url).toBe(
      '/mindbody/public/v6/client/clients?request.searchText=curie&request.clientIDs=100015&request.clientIDs=100017',
    )
    expect(read.headers.get('Authorization')).toBeNull()
    expect(read.headers.get('Api-Key')).toBeNull()
    expect(read.headers.get('Cookie')).toMatch(/=/)
    const upstream = requests.at(-1)!
    expect(upstream.url).toBe(
      'https://api.mindbodyonline.com/public/v6/client/clients?request.searchText=curie&request.clientIDs=100015&request.clientIDs=100017',
    )
    expect(upstream.headers.get('Authorization')).toMatch(/^[0-9a-f]{32}$/)
  })

  it("rejects a 400 with Mindbody's message and code, and stays signed in", async () => {
    serveMockMindbody()
    const { result } = await signedIn()
    const error = await result.current.api
      .get('/client/clients', { query: { 'request.limit': 500 } })
      .catch((e: MindbodyError) => e)

    expect(error).toMatchObject({
      name: 'MindbodyError',
      kind: 'http',
      status: 400,
      code: 'InvalidParameter',
      message: 'request.limit must be between 1 and 200.',
    })
    expect(result.current.state.isAuthenticated).toBe(true)
  })

  it("reads a refusal's problem, as every MindbodyError does", async () => {
    const { mindbody } = serveMockMindbody()
    const { result } = await signedIn()
    mindbody.fail('permission-denied', ['clients'])
    const error = await result.current.api.get('/client/clients').catch((e: MindbodyError) => e)

    expect(error).toMatchObject({
      status: 403,
      code: 'InvalidUserAccessLevel',
      message: 'This staff member does not have permission to do this.',
      problem: 'permission-denied',
    })
  })

  it('cancels a call with its signal, as an aborted MindbodyError, and stays signed in', async () => {
    const { mindbody } = serveMockMindbody({ slowMs: 60_000 })
    const { result } = await signedIn()
    mindbody.fail('slow', ['staff'])
    const controller = new AbortController()
    const call = result.current.api.get('/staff/staff', { signal: controller.signal })
    controller.abort()

    await expect(call).rejects.toMatchObject({ name: 'MindbodyError', kind: 'aborted' })
    expect(result.current.state.isAuthenticated).toBe(true)
  })

  it("refuses a path or path parameter that is not the description's, sending nothing", async () => {
    const { requests } = serveMockMindbody()
    const { result } = await signedIn()
    const sentBefore = requests.length
    const api = result.current.api as unknown as { get(path: unknown, options?: object): Promise<unknown> }

    const notAString = { toString: () => '/class/classes' }
    for (const path of [
      '//evil.example/steal',
      '/class/../usertoken/revoke',
      'https://evil.example/x',
      notAString,
    ])
      await expect(api.get(path)).rejects.toMatchObject({ kind: 'invalid-input', message: 'Invalid path' })
    await expect(
      result.current.api.patch('/class/updateclassschedulenotes/{classScheduleId}', {
        path: { classScheduleId: '' as unknown as number },
        body: {},
      }),
    ).rejects.toMatchObject({ kind: 'invalid-input', message: 'Invalid path.classScheduleId' })
    expect(requests.length).toBe(sentBefore)
  })

  it('fills in and encodes a path parameter', async () => {
    const { requests } = serveMockMindbody()
    server.use(
      http.get('*/public/v6/pickaspot/v1/reservation/:pathInfo', () => HttpResponse.json({ Reserved: true })),
    )
    const { result } = await signedIn()
    const answer = await result.current.api.get('/pickaspot/v1/reservation/{pathInfo}', {
      path: { pathInfo: 'a/b c' },
    })

    expect(answer).toEqual({ Reserved: true })
    expect(requests.at(-1)!.url).toBe(
      'https://api.mindbodyonline.com/public/v6/pickaspot/v1/reservation/a%2Fb%20c',
    )
  })
})

describe('mindbodyQueryOptions and mindbodyMutationOptions', () => {
  function Staff() {
    const api = useMindbodyApi()
    const staff = useQuery(mindbodyQueryOptions(api, '/staff/staff'))
    const { user } = useUserToken()
    if (!user) return <p>Signed out</p>
    return (
      <p>
        {user.FirstName} sees{' '}
        {staff.data ? staff.data.StaffMembers?.map((s) => s.DisplayName).join(', ') : '…'}
      </p>
    )
  }

  it("keys a read by site and staff member: the next staff member never sees the last one's answer", async () => {
    serveMockMindbody()
    let answers = 0
    let release = () => {}
    server.use(
      http.get('*/public/v6/staff/staff', async () => {
        answers++
        if (answers === 2) await new Promise<void>((resolve) => (release = resolve))
        return HttpResponse.json({ StaffMembers: [{ DisplayName: `answer ${answers}` }] })
      }),
    )
    const queryClient = new QueryClient()
    const session = renderHookWithProviders(useApiSession, { queryClient })
    renderWithProviders(<Staff />, { queryClient })
    await act(() => session.result.current.signIn.mutateAsync(STAFF))
    await screen.findByText('Ada sees answer 1')
    const adasKey = session.result.current.api.queryKey
    expect(adasKey).toEqual([
      'mindbody-user-token',
      'https://api.mindbodyonline.com',
      '-99',
      '6',
      'api',
      '100000123 Staff',
    ])

    await act(() => session.result.current.signOut.mutateAsync())
    await act(() => session.result.current.signIn.mutateAsync(MANAGER))
    await screen.findByText('Hedy sees …')
    expect(queryClient.getQueryCache().findAll({ queryKey: adasKey })).toEqual([])
    release()
    await screen.findByText('Hedy sees answer 2')
  })

  it('waits while nobody is signed in', async () => {
    const { requests } = serveMockMindbody()
    const { queryClient } = renderWithProviders(<Staff />)
    await screen.findByText('Signed out')
    expect(queryClient.isFetching()).toBe(0)
    expect(requests).toEqual([])
  })

  it("sends a mutation as the signed-in staff member, its variables the call's options", async () => {
    serveMockMindbody()
    const { result } = await signedIn(MANAGER)
    const refund = renderHookWithProviders(() =>
      useMutation(mindbodyMutationOptions(result.current.api, 'post', '/sale/returnsale')),
    )
    const answer = await act(() =>
      refund.result.current.mutateAsync({ body: { SaleId: 5, ReturnReason: 'Twice' } }),
    )
    expect(answer).toEqual({ ReturnSaleID: 900_005, TrainerID: 100000124, Amount: 25 })
  })
})
