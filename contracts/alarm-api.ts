/**
 * The alarm API (ADR 0006): the alarm list and its actions, the rules, the KPIs; and the Socket.IO
 * events that push alarm changes to every screen. The lifecycle itself is contracts/alarms.ts.
 */
import { z } from 'zod'
import type { RouteContract } from './api'
import { AlarmPrioritySchema } from './alarms'
import { AlarmRuleSchema, RuleTextsSchema } from './alarm-rules'
import { DeviceIdSchema, DeviceKindSchema, LonLatSchema } from './schemas/device'

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

export const ShelvingSchema = z.object({ untilMs: z.number().nullable(), reason: z.string(), by: z.string() })

/** ISA-18.2 state of an alarm as screens show it (contracts/alarms.ts `display`). */
export const AlarmDisplaySchema = z.enum(['unacknowledged', 'acknowledged', 'rtn-unacknowledged', 'normal'])

export const AlarmSchema = z.object({
  id: z.number().int(),
  ruleId: z.string(),
  ruleName: z.string(),
  ruleType: z.string(),
  priority: AlarmPrioritySchema,
  /** A device id, or `corridor` / `ingest` for rules over several devices or over the pipeline. */
  subject: z.string(),
  deviceId: DeviceIdSchema.nullable(),
  deviceKind: DeviceKindSchema.nullable(),
  deviceName: z.string().nullable(),
  position: LonLatSchema.nullable(),
  /** The district (quartiere) the device is in, when known. */
  district: z.string().nullable(),
  /** What is abnormal, with the value that made it so. */
  message: z.string(),
  value: z.union([z.number(), z.string(), z.null()]),
  /** ISA-18.2: why it happens, what follows if nobody acts, what the operator is expected to do. */
  cause: z.string(),
  consequence: z.string(),
  response: z.string(),
  /** The rule's name, cause, consequence and response in other languages (by language code). */
  translations: z.record(z.string(), RuleTextsSchema),
  active: z.boolean(),
  acked: z.boolean(),
  shelved: ShelvingSchema.nullable(),
  suppressedBy: z.string().nullable(),
  outOfService: z.boolean(),
  display: AlarmDisplaySchema,
  /** On the operator's list: not normal, not shelved, not suppressed, in service. */
  listed: z.boolean(),
  /** Changed state 3 or more times in a minute (a bad actor to rationalise). */
  chattering: z.boolean(),
  raisedAtMs: z.number(),
  lastChangeAtMs: z.number(),
  clearedAtMs: z.number().nullable(),
  ackedAtMs: z.number().nullable(),
  ackedBy: z.string().nullable(),
  activations: z.number().int(),
  /** Closed: returned to normal, acknowledged and in service — history only. */
  closed: z.boolean(),
})
export type Alarm = z.infer<typeof AlarmSchema>

export const FloodStateSchema = z.object({
  active: z.boolean(),
  sinceMs: z.number().nullable(),
  /** Activations in the last 10 minutes. */
  lastTenMinutes: z.number().int(),
})
export type FloodState = z.infer<typeof FloodStateSchema>

export const AlarmViewSchema = z.enum(['list', 'shelved', 'suppressed', 'out-of-service', 'open', 'history'])
export type AlarmView = z.infer<typeof AlarmViewSchema>

export const ListAlarmsQuerySchema = z.object({
  /** list: the operator's list (ISA-18.2); shelved / suppressed / out-of-service: the hidden ones; open: every open instance; history: closed ones, newest first. */
  view: AlarmViewSchema.default('list'),
  priority: AlarmPrioritySchema.optional(),
  limit: intParam(1, 5000).default(1000),
})
export const ListAlarmsResponseSchema = z.object({ serverTimeMs: z.number(), flood: FloodStateSchema, alarms: z.array(AlarmSchema) })
export type ListAlarmsResponse = z.infer<typeof ListAlarmsResponseSchema>

export const AlarmParamsSchema = z.object({ id: z.coerce.number().int().min(1) })

export const AlarmEventSchema = z.object({
  id: z.number().int(),
  atMs: z.number(),
  /** activate, clear, ack, shelve, unshelve, shelve-expired, suppress, unsuppress, out-of-service, in-service, chattering. */
  type: z.string(),
  actor: z.string(),
  detail: z.record(z.string(), z.unknown()),
})
export type AlarmEventRecord = z.infer<typeof AlarmEventSchema>
export const AlarmDetailResponseSchema = z.object({ alarm: AlarmSchema, events: z.array(AlarmEventSchema) })

export const AlarmActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('ack'), note: z.string().max(500).optional() }).strict(),
  z
    .object({
      action: z.literal('shelve'),
      reason: z.string().trim().min(3, 'say why the alarm is shelved').max(500),
      /** End of the shelving (at most 8 h ahead); null: one-shot, until the alarm returns to normal. */
      untilMs: z.number().int().nullable(),
    })
    .strict(),
  z.object({ action: z.literal('unshelve') }).strict(),
  z.object({ action: z.literal('out-of-service'), reason: z.string().trim().min(3, 'say why the alarm is taken out of service').max(500) }).strict(),
  z.object({ action: z.literal('in-service') }).strict(),
])
export type AlarmAction = z.infer<typeof AlarmActionSchema>
/** The body of POST /api/alarms/:id/actions (an object with `action`). */
export const AlarmActionBodySchema = z.object({ action: z.enum(['ack', 'shelve', 'unshelve', 'out-of-service', 'in-service']) }).passthrough()

export const AckManyBodySchema = z.object({ ids: z.array(z.number().int().min(1)).min(1).max(1000), note: z.string().max(500).optional() }).strict()
export const AckManyResponseSchema = z.object({ alarms: z.array(AlarmSchema) })

export const AlarmRuleRecordSchema = z.object({ rule: AlarmRuleSchema, version: z.number().int(), updatedBy: z.string(), updatedAtMs: z.number() })
export type AlarmRuleRecord = z.infer<typeof AlarmRuleRecordSchema>
export const ListRulesResponseSchema = z.object({ rules: z.array(AlarmRuleRecordSchema) })
export const RuleParamsSchema = z.object({ id: z.string().min(1).max(64) })
/** PUT body: the whole rule document (its id must match the path). */
export const PutRuleBodySchema = z.object({ rule: z.unknown() }).strict()

export const KpiQuerySchema = z.object({ hours: intParam(1, 24 * 31).default(24) })
export const AlarmKpisSchema = z.object({
  fromMs: z.number(),
  toMs: z.number(),
  activations: z.number().int(),
  /** Operators signed in now with the alarm:act permission (at least 1 for the rate). */
  operators: z.number().int(),
  /** EEMUA 191: ≤ 6 per operator per hour is very likely acceptable, ≤ 12 manageable. */
  alarmsPerOperatorHour: z.number(),
  /** Active for more than 24 h. */
  standing: z.number().int(),
  open: z.number().int(),
  timeToAckMs: z.object({ median: z.number().nullable(), p90: z.number().nullable(), count: z.number().int() }),
  /** Activations by priority (target ~80 % low, 15 % medium, 5 % high). */
  byPriority: z.record(AlarmPrioritySchema, z.number().int()),
  /** The 10 rule × subject pairs with the most activations. */
  badActors: z.array(z.object({ ruleId: z.string(), subject: z.string(), activations: z.number().int(), chattering: z.boolean() })),
  chattering: z.number().int(),
  timeInFloodMs: z.number(),
  floodShare: z.number(),
  /** Open alarms per district, for the wall's KPI cards. */
  byDistrict: z.array(z.object({ district: z.string(), open: z.number().int(), unacknowledged: z.number().int(), highest: AlarmPrioritySchema.nullable() })),
})
export type AlarmKpis = z.infer<typeof AlarmKpisSchema>

export const ALARM_ROUTES = {
  listAlarms: { method: 'get', path: '/api/alarms', permission: 'live:read', operationId: 'listAlarms', summary: 'Alarms: the operator’s list (ISA-18.2 states, priority first), or the shelved, suppressed, out-of-service, open or closed ones', tags: ['alarms'], query: ListAlarmsQuerySchema, response: ListAlarmsResponseSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  getAlarm: { method: 'get', path: '/api/alarms/:id', permission: 'live:read', operationId: 'getAlarm', summary: 'One alarm with its state changes (who, when)', tags: ['alarms'], params: AlarmParamsSchema, response: AlarmDetailResponseSchema, errors: ['VALIDATION_FAILED', 'ALARM_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  actOnAlarm: { method: 'post', path: '/api/alarms/:id/actions', permission: 'alarm:act', operationId: 'actOnAlarm', summary: 'Acknowledge, shelve (reason, ≤ 8 h or one-shot), unshelve, or take out of / back into service (audited)', tags: ['alarms'], params: AlarmParamsSchema, body: AlarmActionBodySchema, response: AlarmSchema, errors: ['VALIDATION_FAILED', 'ALARM_NOT_FOUND', 'ALARM_STATE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  ackAlarms: { method: 'post', path: '/api/alarm-acks', permission: 'alarm:act', operationId: 'ackAlarms', summary: 'Acknowledge several alarms at once (a flood group); each is audited', tags: ['alarms'], body: AckManyBodySchema, response: AckManyResponseSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  alarmKpis: { method: 'get', path: '/api/alarm-kpis', permission: 'live:read', operationId: 'alarmKpis', summary: 'Alarm KPIs (ISA-18.2 / EEMUA 191): alarms per operator hour, standing, time to acknowledge, priorities, bad actors, time in flood, open alarms per district', tags: ['alarms'], query: KpiQuerySchema, response: AlarmKpisSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  listAlarmRules: { method: 'get', path: '/api/alarm-rules', permission: 'live:read', operationId: 'listAlarmRules', summary: 'Alarm rules with cause, consequence, response, scope and version', tags: ['alarms'], response: ListRulesResponseSchema, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  putAlarmRule: { method: 'put', path: '/api/alarm-rules/:id', permission: 'alarm:configure', operationId: 'putAlarmRule', summary: 'Create or change a rule (validated; versioned; audited); enabled=false retires it', tags: ['alarms'], params: RuleParamsSchema, body: PutRuleBodySchema, response: AlarmRuleRecordSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
} as const satisfies Record<string, RouteContract>

/** Socket.IO room of the screens that follow the alarms (joined with live:read). */
export const ALARM_ROOM = 'alarms'

/** Pushed to every screen following the alarms when alarms change (the whole alarm, not a diff). */
export const AlarmChangedSchema = z.object({ serverTimeMs: z.number(), alarms: z.array(AlarmSchema), flood: FloodStateSchema })
export type AlarmChanged = z.infer<typeof AlarmChangedSchema>
