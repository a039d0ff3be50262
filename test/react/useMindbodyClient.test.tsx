import { act, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { isMindbodyError, type MindbodyError } from '../../src'
import { renderHookWithProviders } from '../renderWithProviders'
import { server, STAFF, serveMockMindbody } from '../server'
import { renderSignedIn, useSession } from '../renderSignedIn'

const STAFF_URL = 'https://api.mindbodyonline.com/public/v6/staff/staff'

describe('useMindbodyClient', () => {
  it('calls any endpoint of the site with the current token, read at request time', async () => {
    const { requests } = serveMockMindbody()
    server.use(http.get(STAFF_URL, () => HttpResponse.json({ StaffMembers: [{ Id: 1 }] })))
    const { result } = renderHookWithProviders(useSession, { apiKey: 'key-1', siteId: -99 })
    const before = await result.current.client.get('/staff/staff')
    const token = await act(() => result.current.signIn.mutateAsync(STAFF))
    const after = await result.current.client.get('/staff/staff')

    expect(after.data).toEqual({ StaffMembers: [{ Id: 1 }] })
    const [first, , second] = requests
    expect(first!.headers.get('Authorization')).toBeNull()
    expect(second!.url).toBe(STAFF_URL)
    expect(second!.headers.get('Authorization')).toBe(token.AccessToken)
    expect(second!.headers.get('Api-Key')).toBe('key-1')
    expect(second!.headers.get('SiteId')).toBe('-99')
    expect(before.status).toBe(200)
  })

  it('signs out as unauthorized on a 401, with a MindbodyError and no retry', async () => {
    const { requests } = serveMockMindbody()
    server.use(
      http.get(STAFF_URL, () =>
        HttpResponse.json({ Error: { Message: 'Token expired.', Code: 'DeniedAccess' } }, { status: 401 }),
      ),
    )
    const { result } = await renderSignedIn()
    const error = await result.current.client.get('/staff/staff').catch((e: MindbodyError) => e)
    expect(isMindbodyError(error)).toBe(true)
    expect(error).toMatchObject({
      kind: 'http',
      status: 401,
      code: 'DeniedAccess',
      message: 'Token expired.',
    })
    await waitFor(() => expect(result.current.state.signOutReason).toBe('unauthorized'))
    expect(requests.filter((r) => r.url === STAFF_URL)).toHaveLength(1)
  })

  it('turns a server that is down into a network MindbodyError, keeping the token', async () => {
    serveMockMindbody()
    const {
      result,
      token: { AccessToken },
    } = await renderSignedIn()

    server.use(http.get(STAFF_URL, () => HttpResponse.error(), { once: true }))
    await expect(result.current.client.get('/staff/staff')).rejects.toMatchObject({ kind: 'network' })

    // The next call still carries the token, and the screen still shows it.
    server.use(
      http.get(STAFF_URL, ({ request }) => HttpResponse.json({ sent: request.headers.get('Authorization') })),
    )
    const again = await result.current.client.get('/staff/staff')
    expect(again.data).toEqual({ sent: AccessToken })
    expect(result.current.state).toMatchObject({ accessToken: AccessToken, signOutReason: null })
  })
})

describe('through a same-origin proxy', () => {
  it('signs in, calls, and signs out under /mindbody with no Api-Key anywhere', async () => {
    const { requests, mindbody } = serveMockMindbody()
    server.use(http.get('*/mindbody/public/v6/staff/staff', () => HttpResponse.json({ StaffMembers: [] })))
    const {
      result,
      token: { AccessToken },
    } = await renderSignedIn({ baseURL: '/mindbody' })
    await result.current.client.get('/staff/staff')
    await act(() => result.current.renew.mutateAsync())
    await act(() => result.current.signOut.mutateAsync())

    expect(mindbody.isValid(AccessToken)).toBe(false)
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
      '/mindbody/public/v6/usertoken/issue',
      '/mindbody/public/v6/staff/staff',
      '/mindbody/public/v6/usertoken/renew',
      '/mindbody/public/v6/usertoken/revoke',
    ])
    expect(
      requests.every((r) => new URL(r.url).origin === location.origin && !r.headers.has('Api-Key')),
    ).toBe(true)
  })
})
