export { createMindbodyProxy } from './createMindbodyProxy'
export { toNodeHandler } from './node/toNodeHandler'
export { getSiteActivation } from './getSiteActivation'
export { memoryLimitStore } from './stores/memoryLimitStore'
export { redisLimitStore } from './stores/redisLimitStore'
export { memorySessionStore } from './stores/memorySessionStore'
export { redisSessionStore } from './stores/redisSessionStore'
export type { MindbodyProxy } from './createMindbodyProxy'
export type { ClientAddress, MindbodyProxyOptions, ProxySessionOptions } from './proxyOptions'
export type { ProxyPermissions } from './permissions/permissionRules'
export type { ApprovalRule, DeskOptions, ProxyApprovals } from './desk/deskOptions'
export type { SessionEndReason } from './sessionEndReason'
export type { ProxySessions, SessionFilter } from './sessionsApi'
export type { SessionCookieOptions } from './cookie/cookieHeader'
export type { LimitStore, SessionRecord, SessionStore } from './stores/types'
export type { MemorySessionStoreOptions } from './stores/memorySessionStore'
export type { RedisLimitStoreOptions } from './stores/redisLimitStore'
export type { RedisLike } from './stores/redisCommand'
export type { NodeHandler } from './node/toNodeHandler'
export type {
  BudgetEvent,
  ProxyCheck,
  ProxyEvent,
  ProxyEventBase,
  RefusedEvent,
  SessionEvent,
  SignInEvent,
  SignInFailedEvent,
  SignInLimitedEvent,
} from './observe/proxyEvents'
export type { ApprovalEvent, DeskEvent } from './observe/deskEvents'
export type {
  CallBudget,
  CallMeterOptions,
  OpenTelemetryApi,
  OpenTelemetrySpan,
} from './observe/observeOptions'
export type { MindbodyUsage, UsageQuery } from './observe/callUsage'
export type { SiteActivationOptions } from './getSiteActivation'
