import { MindbodyError } from '../core/MindbodyError'
import { checkCredentials, createDeskCalls, type DeskCredentials } from '../core/deskCalls'
import { commit, hold } from './pageStore'
import { inOrder } from './inOrder'
import type { TokenActions } from './tokenActions'
import type { DeskState } from '../core/deskState'
import type { RequestOptions } from '../core/types'

/**
 * The front desk's actions on the page's sign-in (server mode only; in token mode it throws). Each
 * call waits its turn behind the page's other calls, as every call to the proxy does; every answer's
 * desk is told to each follower of the page (`follow`), and a failure goes through the session's one
 * rule (a 401 or a 423 `DeskLocked` ends the sign-in). `unlock` (also a switch) takes a turn as a
 * sign-in does, and makes its staff member's token the page's; `lock` signs the page out as
 * `'locked'` at once; `endShift` of the active one signs the page out as `'revoked'`.
 */
export function deskActions(actions: TokenActions) {
  const { record, config, fail } = actions
  const calls = createDeskCalls(config)
  const { listeners } = (record.desk ??= { listeners: new Set() })
  const tell = (desk: DeskState | null) => {
    for (const listener of [...listeners]) listener(desk)
  }
  const run = async <T>(work: () => Promise<T>) => {
    try {
      return await work()
    } catch (error) {
      fail(error)
      throw error
    }
  }
  const inTurn = <T>(work: () => Promise<T>) => run(() => inOrder(record, config, work))
  return {
    read: (options?: RequestOptions) => inTurn(() => calls.read(options)),
    lock: (): Promise<void> => run(() => actions.lock(calls.lock)).then(tell),
    async unlock(credentials: DeskCredentials): Promise<void> {
      checkCredentials(credentials)
      const turn = ++record.order.turn
      const { arrived, desk } = await inTurn(() => calls.unlock(credentials))
      if (record.order.turn !== turn) throw new MindbodyError('aborted', 'Unlock overtaken by a later action')
      commit(record, hold(arrived, record.store.held))
      tell(desk)
    },
    setPin: (pin: string, current?: string): Promise<void> =>
      inTurn(() => calls.setPin(pin, current)).then(tell),
    async endShift(userId?: number | null): Promise<void> {
      const { turn } = record.order
      const desk = await inTurn(() => calls.end(userId))
      if (record.order.turn === turn && !desk?.staff.some((member) => member.isActive)) actions.end('revoked')
      tell(desk)
    },
    /** Calls `listener` with the desk of each answer on the page; returns the stop. */
    follow(listener: (desk: DeskState | null) => void) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}

/** The desk's actions on one sign-in of the page. */
export type DeskActions = ReturnType<typeof deskActions>
