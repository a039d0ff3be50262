import { useMutation, useQuery } from '@tanstack/react-query'
import { describe, expectTypeOf, it } from 'vitest'
import {
  mindbodyMutationOptions,
  mindbodyQueryOptions,
  useMindbodyApi,
  type MindbodyAnswer,
  type MindbodyError,
  type MindbodyPaths,
  type MindbodySchemas,
} from '../../src'

type Classes = MindbodyPaths['/class/classes']['get']['answer']

describe('the typed client', () => {
  it('types a read: path, query with its request. names, and the answer', async () => {
    const api = useMindbodyApi()
    const classes = await api.get('/class/classes', {
      query: { 'request.startDateTime': '2026-12-08T00:00:00', 'request.classIds': [1, 2] },
    })
    expectTypeOf(classes).toEqualTypeOf<Classes>()
    expectTypeOf(classes.Classes).toEqualTypeOf<MindbodySchemas['Class'][] | null | undefined>()
    expectTypeOf(classes.Classes![0]!.Staff).toEqualTypeOf<MindbodySchemas['Staff'] | null | undefined>()
    // Mindbody's IDs as the description types them: a staff member's a number, a client's a string.
    expectTypeOf(classes.Classes![0]!.Staff!.Id).toEqualTypeOf<number | null | undefined>()
    const clients = await api.get('/client/clients')
    expectTypeOf(clients.Clients![0]!.Id).toEqualTypeOf<string | null | undefined>()
    // @ts-expect-error -- no such path
    void api.get('/class/klasses')
    // @ts-expect-error -- a path of another method: POST only
    void api.get('/sale/returnsale')
    // @ts-expect-error -- the query keeps Mindbody's names: `startDateTime` alone is silently ignored by Mindbody
    void api.get('/class/classes', { query: { startDateTime: '2026-12-08' } })
    // @ts-expect-error -- an ID list is numbers
    void api.get('/class/classes', { query: { 'request.classIds': ['1'] } })
  })

  it('requires what the description requires, and takes a signal', () => {
    const api = useMindbodyApi()
    // @ts-expect-error -- request.staffId is required
    void api.get('/staff/staffpermissions')
    // @ts-expect-error -- request.staffId is required
    void api.get('/staff/staffpermissions', { query: {} })
    void api.get('/staff/staffpermissions', {
      query: { 'request.staffId': 7 },
      signal: new AbortController().signal,
    })
    // @ts-expect-error -- a POST with a body needs it
    void api.post('/sale/returnsale')
    // @ts-expect-error -- SaleId is a number
    void api.post('/sale/returnsale', { body: { SaleId: 'abc' } })
    // @ts-expect-error -- a path parameter is required where the path names one
    void api.patch('/class/updateclassschedulenotes/{classScheduleId}', { body: {} })
    expectTypeOf(
      api.delete('/appointment/appointmentfromwaitlist', { query: { 'request.waitlistEntryIds': [3] } }),
    ).toEqualTypeOf<Promise<void>>()
  })

  it('makes useQuery and useMutation need no hand-written key, function or types', () => {
    const api = useMindbodyApi()
    const classes = useQuery(mindbodyQueryOptions(api, '/class/classes', { query: { 'request.limit': 20 } }))
    expectTypeOf(classes.data).toEqualTypeOf<Classes | undefined>()
    expectTypeOf(classes.error).toEqualTypeOf<MindbodyError | null>()
    // @ts-expect-error -- only a GET is a query
    void mindbodyQueryOptions(api, '/sale/returnsale')
    const refund = useMutation(mindbodyMutationOptions(api, 'post', '/sale/returnsale'))
    expectTypeOf(refund.data).toEqualTypeOf<MindbodyAnswer<'post', '/sale/returnsale'> | undefined>()
    expectTypeOf(refund.error).toEqualTypeOf<MindbodyError | null>()
    refund.mutate({ body: { SaleId: 1234, ReturnReason: 'Charged twice' } })
    // @ts-expect-error -- the body is the call's
    refund.mutate({ body: { SaleID: 1234 } })
    // @ts-expect-error -- no DELETE at that path
    void mindbodyMutationOptions(api, 'delete', '/sale/returnsale')
  })
})
