import { createRequire } from 'node:module'
import {
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
  QueryClientProvider,
} from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import {
  issueTokenMutationOptions,
  revokeTokenMutationOptions,
  userTokenKeys,
  userTokenQueryOptions,
} from '../../src'
import { STAFF, serveMockMindbody } from '../server'

const { version: reactQueryVersion } = createRequire(import.meta.url)(
  '@tanstack/react-query/package.json',
) as {
  version: string
}

const config = { siteId: -99 }

describe('userTokenKeys', () => {
  it('gives one key per base URL, site and version, with defaults filled in', () => {
    expect(userTokenKeys.token({ siteId: -99 })).toEqual(
      userTokenKeys.token({ siteId: '-99', version: 6, baseURL: 'https://api.mindbodyonline.com/' }),
    )
    const keys = [
      userTokenKeys.token({ siteId: 1 }),
      userTokenKeys.token({ siteId: 2 }),
      userTokenKeys.token({ siteId: 1, version: 7 }),
      userTokenKeys.token({ siteId: 1, baseURL: '/mindbody' }),
    ].map((k) => JSON.stringify(k))
    expect(new Set(keys).size).toBe(4)
    for (const key of keys) expect(key.startsWith(JSON.stringify(userTokenKeys.all).slice(0, -1))).toBe(true)
  })
})

describe('option factories', () => {
  it('compose into your own useMutation and useQuery', async () => {
    serveMockMindbody()
    const queryClient = new QueryClient()
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    )
    const { result } = renderHook(
      () => {
        const client = useQueryClient()
        return {
          token: useQuery(userTokenQueryOptions(config, { queryClient: client })).data,
          signIn: useMutation(issueTokenMutationOptions(config, { queryClient: client })),
          signOut: useMutation(revokeTokenMutationOptions(config, { queryClient: client })),
        }
      },
      { wrapper },
    )
    await waitFor(() => expect(result.current.token).toBeNull())
    await act(() => result.current.signIn.mutateAsync(STAFF))
    await waitFor(() => expect(result.current.token?.User?.FirstName).toBe('Ada'))
    await act(() => result.current.signOut.mutateAsync())
    await waitFor(() => expect(result.current.token).toBeNull())
  })

  it('keep the token through invalidateQueries and refetches', async () => {
    serveMockMindbody()
    const queryClient = new QueryClient()
    const signIn = issueTokenMutationOptions(config, { queryClient })
    await queryClient.getMutationCache().build(queryClient, signIn).execute(STAFF)
    await queryClient.invalidateQueries()
    await queryClient.refetchQueries()
    expect(await queryClient.fetchQuery(userTokenQueryOptions(config, { queryClient }))).toMatchObject({
      User: { FirstName: 'Ada' },
    })
  })

  it('find the QueryClient themselves from React Query 5.89, and name it when they cannot', async () => {
    const { requests } = serveMockMindbody()
    const queryClient = new QueryClient()
    const signingIn = queryClient
      .getMutationCache()
      .build(queryClient, issueTokenMutationOptions(config))
      .execute(STAFF)
    const [major, minor] = reactQueryVersion.split('.').map(Number)
    if (major! > 5 || minor! >= 89) {
      await signingIn
      expect(queryClient.getQueryData(userTokenKeys.token(config))).toMatchObject({
        AccessToken: expect.any(String),
      })
    } else {
      await expect(signingIn).rejects.toMatchObject({
        kind: 'invalid-input',
        message: expect.stringContaining('queryClient'),
      })
      expect(requests).toEqual([])
    }
  })
})
