import { act, waitFor } from '@testing-library/react'
import { http, HttpResponse, type JsonBodyType } from 'msw'
import { expect } from 'vitest'
import type { UseDeskResult } from '../src'
import { server } from './server'

/**
 * A stand-in for the `/server` proxy in desk mode at `/mindbody`, answering as the desk contract
 * (issue 31) says, in memory: the browser's side is tested against the contract while the real proxy
 * is written. One desk (one browser's cookie); staff sign in with `demo-password`.
 */

const PIN_LENGTH = 4
const STAFF = {
  'demo.staff': { Id: 100000123, FirstName: 'Ada', LastName: 'Lovelace', Type: 'Staff', refunds: false },
  'demo.manager': { Id: 100000124, FirstName: 'Hedy', LastName: 'Lamarr', Type: 'Staff', refunds: true },
}
export const ADA = { Username: 'demo.staff', Password: 'demo-password' }
export const HEDY = { Username: 'demo.manager', Password: 'demo-password' }
export const ADA_ID = STAFF['demo.staff'].Id
export const HEDY_ID = STAFF['demo.manager'].Id
/** The approval-gated route: a refund, as the contract's example maps it. */
export const REFUND = '/sale/returnsale'

interface Member {
  user: (typeof STAFF)[keyof typeof STAFF]
  pin?: string
  attemptsLeft: number
}
interface Approval {
  key: string
  approved: boolean
  used: boolean
}

const refusal = (status: number, Code: string, more: object = {}) =>
  HttpResponse.json({ Error: { Code, Message: `${Code}.`, ...more } }, { status })

export function serveDesk() {
  const staff: Member[] = []
  const state = { active: null as Member | null, locked: false }
  const approvals = new Map<string, Approval>()
  /** Every request that reached the proxy, with its body as text. */
  const requests: Array<{ method: string; path: string; headers: Headers; body: string }> = []

  const deskJson = () => ({
    Locked: state.locked,
    PinLength: PIN_LENGTH,
    Staff: staff.map((m) => ({
      UserId: m.user.Id,
      Name: `${m.user.FirstName} ${m.user.LastName}`,
      HasPin: !!m.pin,
      Active: m === state.active,
    })),
  })
  const tokenJson = (m: Member) => ({
    TokenType: 'Bearer',
    Expires: new Date(Date.now() + 24 * 3600_000).toISOString(),
    User: { Id: m.user.Id, FirstName: m.user.FirstName, LastName: m.user.LastName, Type: m.user.Type },
    Desk: deskJson(),
  })
  const session = () =>
    !staff.length ? null : state.active && !state.locked ? tokenJson(state.active) : { Desk: deskJson() }
  const remove = (m: Member) => {
    staff.splice(staff.indexOf(m), 1)
    if (state.active === m) [state.active, state.locked] = [null, staff.length > 0]
  }
  /** Checks a staff member's PIN; a wrong one counts, and the last ends their parked sign-in. */
  const checkPin = (userId: unknown, pin: unknown) => {
    const m = staff.find((s) => s.user.Id === userId)
    if (!m) return refusal(404, 'NotFound')
    if (!m.pin) return refusal(409, 'PinNotSet')
    if (m.pin === pin) return m
    m.attemptsLeft--
    if (!m.attemptsLeft) remove(m)
    return refusal(403, 'WrongPin', { AttemptsLeft: m.attemptsLeft })
  }

  type Route = (
    body: Record<string, unknown>,
    url: URL,
    headers: Headers,
    raw: string,
  ) => Response | JsonBodyType
  const routes: Record<string, Route> = {
    'GET /session': () => session(),
    'POST /public/v6/usertoken/issue': ({ Username, Password }) => {
      const user = STAFF[Username as keyof typeof STAFF]
      if (!user || Password !== 'demo-password') return refusal(403, 'DeniedAccess')
      let m = staff.find((s) => s.user === user)
      if (!m) staff.push((m = { user, attemptsLeft: 3 }))
      ;[state.active, state.locked] = [m, false]
      return tokenJson(m)
    },
    'DELETE /public/v6/usertoken/revoke': () => {
      if (state.active) remove(state.active)
      return new HttpResponse(null, { status: 204 })
    },
    'POST /desk/lock': () => {
      if (!staff.length) return refusal(401, 'Unauthorized')
      ;[state.active, state.locked] = [null, true]
      return { Desk: deskJson() }
    },
    'POST /desk/unlock': ({ UserId, Pin }) => {
      if (!staff.length) return refusal(401, 'Unauthorized')
      const m = checkPin(UserId, Pin)
      if (m instanceof Response) return m
      ;[state.active, state.locked] = [m, false]
      return tokenJson(m)
    },
    'POST /desk/pin': ({ Pin }) => {
      if (!state.active || state.locked) return refusal(401, 'Unauthorized')
      if (typeof Pin !== 'string' || !new RegExp(`^\\d{${PIN_LENGTH}}$`).test(Pin))
        return refusal(400, 'InvalidParameter')
      state.active.pin = Pin
      return { Desk: deskJson() }
    },
    'POST /desk/end': ({ UserId }) => {
      const m = UserId === undefined ? state.active : staff.find((s) => s.user.Id === UserId)
      if (!m) return refusal(404, 'NotFound')
      remove(m)
      return staff.length ? { Desk: deskJson() } : null
    },
    'POST /desk/approvals/:id': ({ UserId, Pin, Reason }, url) => {
      const approval = approvals.get(url.pathname.split('/').pop()!)
      if (!approval) return refusal(404, 'NotFound')
      const m = checkPin(UserId, Pin)
      if (m instanceof Response) return m
      if (!m.user.refunds) return refusal(403, 'PermissionDenied')
      if (typeof Reason !== 'string' || !Reason) return refusal(400, 'InvalidParameter')
      approval.approved = true
      return new HttpResponse(null, { status: 204 })
    },
    'DELETE /desk/approvals/:id': (_body, url) => {
      approvals.delete(url.pathname.split('/').pop()!)
      return new HttpResponse(null, { status: 204 })
    },
    [`GET /public/v6/staff/staff`]: () => ({ StaffMembers: staff.map((m) => ({ Id: m.user.Id })) }),
    [`POST /public/v6${REFUND}`]: (_body, url, headers, raw) => {
      const key = `POST ${url.pathname}${url.search} ${raw}`
      const id = headers.get('X-Mindbody-Approval')
      if (id === null) {
        const fresh = crypto.randomUUID().replaceAll('-', '')
        approvals.set(fresh, { key, approved: false, used: false })
        return refusal(403, 'ApprovalRequired', {
          ApprovalId: fresh,
          Permissions: ['RefundSales'],
          NeedsReason: true,
        })
      }
      const approval = approvals.get(id)
      if (!approval?.approved || approval.used || approval.key !== key) return refusal(403, 'ApprovalInvalid')
      approval.used = true
      return { ReturnSaleId: 7, Refunded: JSON.parse(raw) as unknown }
    },
  }
  const forwarded = (route: string) => route.includes(' /public/v6/') && !route.includes('/usertoken/')

  server.use(
    http.all('*/mindbody/*', async ({ request }) => {
      const url = new URL(request.url)
      const path = url.pathname.slice('/mindbody'.length)
      const raw = await request.text()
      requests.push({ method: request.method, path, headers: request.headers, body: raw })
      if (request.headers.get('SiteId') !== '-99') return refusal(400, 'InvalidSiteId')
      if (request.method !== 'GET' && request.headers.get('X-Mindbody-Proxy') !== '1')
        return refusal(403, 'CsrfRefused')
      const name = `${request.method} ${path.replace(/\/approvals\/[^/]+$/, '/approvals/:id')}`
      const route = routes[name]
      if (!route) return refusal(404, 'NotFound')
      if (forwarded(name) && (state.locked || !state.active)) return refusal(423, 'DeskLocked')
      const answer = route(raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, url, request.headers, raw)
      return answer instanceof Response ? answer : HttpResponse.json(answer)
    }),
  )
  return {
    requests,
    /** The requests to `path`, by method. */
    sent: (method: string, path: string) => requests.filter((r) => r.method === method && r.path === path),
    staff,
    state,
    approvals,
    /** Locks the desk as another tab would, behind this page's back. */
    lockElsewhere: () => void ([state.active, state.locked] = [null, true]),
  }
}

/** A rendered hook that can sign a staff member in and reads the desk, as `useSession` and `useDesk` give. */
interface DeskRoot {
  result: {
    current: {
      signIn: { mutateAsync: (staff: typeof ADA) => Promise<unknown> }
      desk: Pick<UseDeskResult, 'active' | 'setPin'>
    }
  }
}

/** Signs a staff member in at the desk from `root`, and once the desk shows them active, sets their PIN. */
export async function signInWithPin(root: DeskRoot, staff: typeof ADA, pin: string) {
  await act(() => root.result.current.signIn.mutateAsync(staff))
  await waitFor(() => expect(root.result.current.desk.active?.userId).toBeDefined())
  await act(() => root.result.current.desk.setPin(pin))
}
