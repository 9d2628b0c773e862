/**
 * Alarm rules as data (ADR 0006): what raises an alarm, where and when, and — because an alarm is
 * something an operator must respond to (ISA-18.2) — its cause, consequence and expected response.
 * A rule without them does not validate. Time windows are local time in Europe/Rome.
 */
import { z } from 'zod'
import { AlarmPrioritySchema } from './alarms'
import { DeviceIdSchema, DeviceKindSchema } from './schemas/device'

export const RULE_TIME_ZONE = 'Europe/Rome'

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM, 00:00–23:59')
const text = (what: string) => z.string().trim().min(10, `${what}: say it in a sentence (at least 10 characters)`).max(500)

/** Where and when a rule applies; every part omitted = everywhere, always. */
export const RuleScopeSchema = z
  .object({
    kinds: z.array(DeviceKindSchema).min(1).optional(),
    deviceIds: z.array(DeviceIdSchema).min(1).max(10_000).optional(),
    /** A district (quartiere) or statistical zone by id, from the city layers. */
    area: z.object({ layer: z.enum(['quartieri', 'zone']), id: z.string().min(1).max(80) }).optional(),
    /** Days (1 = Monday … 7 = Sunday) and a local time window; `to` before `from` spans midnight. */
    hours: z.object({ days: z.array(z.number().int().min(1).max(7)).min(1).max(7), from: hhmm, to: hhmm }).optional(),
  })
  .strict()
export type RuleScope = z.infer<typeof RuleScopeSchema>

/** A rule's texts in another language (the operators of an Italian control room read Italian). */
export const RuleTextsSchema = z
  .object({ name: z.string().trim().min(3).max(120), cause: text('cause'), consequence: text('consequence'), response: text('response') })
  .partial()
  .strict()
export type RuleTexts = z.infer<typeof RuleTextsSchema>

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'a rule id is 2–64 lower-case letters, digits or dashes'),
  name: z.string().trim().min(3).max(120),
  enabled: z.boolean().default(true),
  priority: AlarmPrioritySchema,
  cause: text('cause'),
  consequence: text('consequence'),
  response: text('response'),
  scope: RuleScopeSchema.default({}),
  /** The texts in other languages, by language code; the main texts are the fallback. */
  translations: z.partialRecord(z.enum(['it', 'en']), RuleTextsSchema).optional(),
}

/** Legal limits for air quality (D.Lgs. 155/2010, Directive 2008/50/EC). */
export const AIR_QUALITY_LIMITS = {
  no2: { limitUgM3: 200, averaging: 'hour', what: 'NO₂ hourly limit value' },
  pm10: { limitUgM3: 50, averaging: 'day', what: 'PM10 daily limit value' },
  o3: { limitUgM3: 180, averaging: 'hour', what: 'O₃ information threshold' },
} as const

export const AlarmRuleSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...common,
      type: z.literal('threshold'),
      metric: z.string().min(1).max(40),
      above: z.number().optional(),
      below: z.number().optional(),
      /** Hysteresis: the alarm returns to normal only this far inside the limit. */
      deadband: z.number().min(0).default(0),
      /** The condition must hold this long before the alarm activates. */
      delayS: z.number().int().min(0).max(3600).default(0),
    })
    .strict()
    .refine((r) => (r.above === undefined) !== (r.below === undefined), 'a threshold rule has exactly one of above and below'),
  z
    .object({
      ...common,
      type: z.literal('congestion'),
      occupancyPctAtLeast: z.number().min(0).max(100).default(35),
      speedKmhAtMost: z.number().min(0).max(200).default(15),
      delayS: z.number().int().min(0).max(3600).default(180),
      /** A corridor: the alarm needs at least `minLoops` of these loops congested at once. */
      corridor: z.object({ deviceIds: z.array(DeviceIdSchema).min(2).max(200), minLoops: z.number().int().min(1) }).optional(),
    })
    .strict()
    .refine((r) => !r.corridor || r.corridor.minLoops <= r.corridor.deviceIds.length, 'corridor.minLoops cannot exceed the corridor’s loops'),
  z.object({ ...common, type: z.literal('flatline'), metric: z.string().min(1).max(40), windowS: z.number().int().min(600).max(86_400).default(2700) }).strict(),
  /** A reported state among the abnormal ones, e.g. a signal controller's mode `flashing` or `off`. */
  z.object({ ...common, type: z.literal('state'), metric: z.string().min(1).max(40), in: z.array(z.string().min(1).max(40)).min(1).max(20), delayS: z.number().int().min(0).max(3600).default(0) }).strict(),
  z.object({ ...common, type: z.literal('stale'), k: z.number().min(3).max(100).default(10) }).strict(),
  z.object({ ...common, type: z.literal('offline') }).strict(),
  z.object({ ...common, type: z.literal('air-quality'), pollutant: z.enum(['no2', 'pm10', 'o3']) }).strict(),
  z.object({ ...common, type: z.literal('ingest-down') }).strict(),
  /**
   * A signal plan a controller did not take (SIG-15): refused by the device ("rejected by device":
   * hash, signature or sequence) or never confirmed within 30 s. Not judged from readings: the deploy
   * manager (server/src/signals) raises it per controller device and clears it when a later
   * deployment to that controller is acknowledged. `scope.deviceIds` limits it; other scope parts do not apply.
   */
  z.object({ ...common, type: z.literal('signal-deploy') }).strict(),
])
export type AlarmRule = z.infer<typeof AlarmRuleSchema>
/** Rule types whose conditions come from a server component, not from readings or time (the engine leaves them alone). */
export const EXTERNAL_RULE_TYPES: ReadonlySet<AlarmRule['type']> = new Set(['signal-deploy'])

const romeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: RULE_TIME_ZONE, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
/** The last minute asked for: readings of one batch share their minute, and formatting is the costly part. */
let romeCache: { minute: number; value: { day: number; minutes: number } } | null = null

/** Local day (1 = Monday) and minutes since midnight in Europe/Rome at `ms`. */
export function romeTime(ms: number): { day: number; minutes: number } {
  const minute = Math.floor(ms / 60_000)
  if (romeCache?.minute === minute) return romeCache.value
  const parts = romeFormat.formatToParts(new Date(ms))
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1
  const value = { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) }
  romeCache = { minute, value }
  return value
}

/** Whether a rule's time window includes `ms` (no window: always). A window past midnight belongs to the day it starts. */
export function inWindow(hours: RuleScope['hours'], ms: number): boolean {
  if (!hours) return true
  const { day, minutes } = romeTime(ms)
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3))
  const from = toMin(hours.from)
  const to = toMin(hours.to)
  if (from <= to) return hours.days.includes(day) && minutes >= from && minutes < to
  // Spans midnight: the evening part on a listed day, the morning part on the day after one.
  const yesterday = day === 1 ? 7 : day - 1
  return (hours.days.includes(day) && minutes >= from) || (hours.days.includes(yesterday) && minutes < to)
}
