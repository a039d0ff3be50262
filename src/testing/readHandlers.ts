import { HttpResponse } from 'msw'
import type { MindbodyPaths, MindbodySchemas } from '../core/mindbodyPaths'
import type { MockStaffUser } from './mockOptions'
import { bearer, error, invalidToken } from './mockRefusal'
import type { MockState } from './mockState'
import type { MockHandle } from './siteHandlers'

type Answer<P extends keyof MindbodyPaths> = MindbodyPaths[P] extends { get: { answer: infer A } } ? A : never

/** Every value of the query parameter `name`, in any case, as ASP.NET reads it. */
const values = (request: Request, name: string) =>
  [...new URL(request.url).searchParams].filter(([n]) => n.toLowerCase() === name).map(([, v]) => v)

/** Today at `hour`:`minute` by the mock's clock, in the site's time as Mindbody writes it: no offset. */
function today(now: number, hour: number, minute = 0) {
  const at = new Date(now)
  at.setHours(hour, minute, 0, 0)
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000)
  return local.toISOString().slice(0, 19)
}

const clients: MindbodySchemas['Client'][] = [
  {
    Id: '100015',
    UniqueId: 100015,
    FirstName: 'Marie',
    LastName: 'Curie',
    Email: 'marie@example.com',
    Active: true,
  },
  { Id: '100016', UniqueId: 100016, FirstName: 'Alan', LastName: 'Turing', Email: null, Active: true },
  { Id: '100017', UniqueId: 100017, FirstName: 'Rosalind', LastName: 'Franklin', Active: false },
]

const staffOf = ({ User }: MockStaffUser): MindbodySchemas['Staff'] => ({
  Id: User.Id,
  FirstName: User.FirstName ?? null,
  LastName: User.LastName ?? null,
  DisplayName: `${User.FirstName ?? ''} ${User.LastName ?? ''}`.trim(),
  ClassTeacher: true,
})

/** Today's classes, each taught by one of `teachers`. */
function classesOf(now: number, teachers: MindbodySchemas['Staff'][]): MindbodySchemas['Class'][] {
  const day: Array<[number, number, number, string]> = [
    [1, 7, 0, 'Morning Flow'],
    [2, 12, 15, 'Lunchtime HIIT'],
    [3, 18, 30, 'Evening Yin'],
  ]
  return day.map(([Id, hour, minute, Name], i) => ({
    Id,
    StartDateTime: today(now, hour, minute),
    EndDateTime: today(now, hour + 1, minute),
    ClassDescription: { Id: 10 + Id, Name },
    Staff: teachers[i % teachers.length] ?? null,
    MaxCapacity: 20,
    TotalBooked: 4 * Id,
    IsCanceled: false,
  }))
}

/**
 * One page of `items`, as `request.limit` (default 100, at most 200) and `request.offset` ask, with
 * Mindbody's `PaginationResponse`; 400 `InvalidParameter` for a limit it refuses.
 */
function page<K extends string, T>(request: Request, key: K, items: T[]) {
  const limit = Number(values(request, 'request.limit')[0] ?? 100)
  const offset = Number(values(request, 'request.offset')[0] ?? 0)
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    return { refused: error(400, 'request.limit must be between 1 and 200.', 'InvalidParameter') }
  const shown = items.slice(offset, offset + limit)
  const PaginationResponse = {
    RequestedLimit: limit,
    RequestedOffset: offset,
    PageSize: shown.length,
    TotalResults: items.length,
  }
  return {
    answer: { PaginationResponse, [key]: shown } as {
      PaginationResponse: typeof PaginationResponse
    } & Record<K, T[]>,
  }
}

/**
 * The reads the demo makes, for a staff token of the site (401 otherwise), in the shapes Mindbody's
 * description gives: `staff/staff` (the mock's staff accounts; `request.staffIds` filters),
 * `class/classes` (three classes today), `client/clients` (`request.searchText` filters). Each pages
 * with `request.limit` and `request.offset`.
 */
export function readHandlers(handle: MockHandle, state: MockState, users: MockStaffUser[]) {
  const staff = (siteId: string) =>
    users
      .filter((u) => u.User.Id !== 0 && (u.siteId === undefined || String(u.siteId) === siteId))
      .map(staffOf)
  const signedIn = (request: Request, siteId: string) => !!state.issued(bearer(request), siteId)
  const answer = ({ refused, answer }: { refused?: Response; answer?: object }) =>
    refused ?? HttpResponse.json(answer)
  return [
    handle('get', 'staff', (request, siteId) => {
      if (!signedIn(request, siteId)) return invalidToken()
      const ids = values(request, 'request.staffids').map(Number)
      const found = staff(siteId).filter((s) => !ids.length || ids.includes(s.Id!))
      return answer(page(request, 'StaffMembers', found) satisfies { answer?: Answer<'/staff/staff'> })
    }),
    handle('get', 'classes', (request, siteId) => {
      if (!signedIn(request, siteId)) return invalidToken()
      const found = classesOf(state.now(), staff(siteId))
      return answer(page(request, 'Classes', found) satisfies { answer?: Answer<'/class/classes'> })
    }),
    handle('get', 'clients', (request, siteId) => {
      if (!signedIn(request, siteId)) return invalidToken()
      const text = values(request, 'request.searchtext')[0]?.toLowerCase() ?? ''
      const found = clients.filter((c) =>
        `${c.FirstName} ${c.LastName} ${c.Email}`.toLowerCase().includes(text),
      )
      return answer(page(request, 'Clients', found) satisfies { answer?: Answer<'/client/clients'> })
    }),
  ]
}
