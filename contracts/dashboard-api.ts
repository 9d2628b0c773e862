/**
 * Thematic live dashboards (issue 6 item 7) and the video wall's layouts (ADR 0006, "The wall").
 *
 * Mobility: traffic loops and bicycle counters per district (quartiere) and per corridor — the state
 * now, from each device's latest reading, and one point per hour over a window, from the 1-hour
 * rollups (server/src/db/rollups.ts) plus raw history for the newest minutes. Environment: the
 * air-quality stations against the values of D.Lgs. 155/2010 — the latest value per pollutant with
 * its age and validity, a series over a window, today's figures and this year's exceedances.
 *
 * Hours are UTC hours, which are also Europe/Rome hours (Rome's offsets are whole hours); days and
 * years are Europe/Rome calendar days and years, as the air-quality alarm rules count them.
 */
import { z } from 'zod'
import type { RouteContract } from './api'
import { AIR_QUALITY_LIMITS } from './alarm-rules'
import { DeviceIdSchema, LonLatSchema } from './schemas/device'
import { LiveQualitySchema } from './schemas/live-state'
import { ValiditySchema } from './schemas/reading'
import { WallLayoutSchema } from './wall'

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const int = z.number().int()
const share = z.number().min(0).max(1)

// ---------------------------------------------------------------------------------------------
// Mobility
// ---------------------------------------------------------------------------------------------

/** A loop is congested at occupancy ≥ 35 % with speed ≤ 15 km/h or unmeasured: the congestion rule's defaults (contracts/alarm-rules.ts). */
export const CONGESTION_DEFAULTS = { occupancyPctAtLeast: 35, speedKmhAtMost: 15 } as const

export const MobilityQuerySchema = z.object({ hours: intParam(1, 168).default(24) })

/** A district (quartiere) of the city layers; null where a figure is for devices outside every district. */
export const DistrictRefSchema = z.object({ id: z.string(), code: z.string(), name: z.string() })
export type DistrictRef = z.infer<typeof DistrictRefSchema>

/**
 * Traffic now over a set of loops. A loop is *reporting* when its latest reading is current (not
 * older than 3 expected intervals) and not reported bad; the figures are over reporting loops only.
 */
export const TrafficNowSchema = z.object({
  loops: int,
  reporting: int,
  /** Mean over reporting loops. */
  occupancyPct: z.number().nullable(),
  /** Mean over the reporting loops that measure speed (single loops do not). */
  speedKmh: z.number().nullable(),
  speedLoops: int,
  /** Sum over reporting loops: vehicles per hour through them. */
  flowVehH: z.number().nullable(),
  congested: int,
  /** congested / reporting; null when no loop reports. */
  congestedShare: share.nullable(),
  /** The newest reading of these loops and its age (the data age of a tile). */
  observedAtMs: z.number().nullable(),
  dataAgeMs: z.number().nullable(),
})
export type TrafficNow = z.infer<typeof TrafficNowSchema>

/** One hour over a set of loops: each loop's hourly mean, then summed (flow) or averaged across loops (occupancy, speed). */
export const TrafficHourSchema = z.object({
  tMs: z.number(),
  /** Loops with readings in the hour (0: no data, the figures are null). */
  loops: int,
  flowVehH: z.number().nullable(),
  occupancyPct: z.number().nullable(),
  speedKmh: z.number().nullable(),
  readings: int,
})
export type TrafficHour = z.infer<typeof TrafficHourSchema>

export const BikesNowSchema = z.object({
  counters: int,
  /** Counters whose latest count is current (not older than 3 expected intervals). */
  reporting: int,
  /** Sum over reporting counters of their latest count scaled to an hour. */
  bikesPerHour: z.number().nullable(),
  observedAtMs: z.number().nullable(),
  dataAgeMs: z.number().nullable(),
})
export const BikesHourSchema = z.object({ tMs: z.number(), counters: int, bikes: int.nullable() })

export const DistrictMobilitySchema = z.object({
  district: DistrictRefSchema.nullable(),
  traffic: z.object({ now: TrafficNowSchema, hourly: z.array(TrafficHourSchema) }),
  bikes: z.object({ now: BikesNowSchema, hourly: z.array(BikesHourSchema), /** Bikes counted in the whole window. */ total: int }),
})
export type DistrictMobility = z.infer<typeof DistrictMobilitySchema>

export const CorridorLoopSchema = z.object({
  deviceId: DeviceIdSchema,
  /** null: the rule names a loop the census does not have (any more). */
  name: z.string().nullable(),
  district: z.string().nullable(),
  observedAtMs: z.number().nullable(),
  dataAgeMs: z.number().nullable(),
  quality: LiveQualitySchema.nullable(),
  reporting: z.boolean(),
  flowVehH: z.number().nullable(),
  occupancyPct: z.number().nullable(),
  speedKmh: z.number().nullable(),
  /** By the corridor rule's own thresholds; null when the loop does not report. */
  congested: z.boolean().nullable(),
})

/** A corridor: an enabled alarm rule of type congestion with a `corridor` (contracts/alarm-rules.ts). */
export const CorridorMobilitySchema = z.object({
  ruleId: z.string(),
  name: z.string(),
  occupancyPctAtLeast: z.number(),
  speedKmhAtMost: z.number(),
  minLoops: int,
  /** At least minLoops loops congested now (before the rule's delay). */
  congested: z.boolean(),
  /** The corridor's open alarm, if any. */
  alarm: z.object({ id: int, active: z.boolean(), acked: z.boolean() }).nullable(),
  now: TrafficNowSchema,
  hourly: z.array(TrafficHourSchema),
  loops: z.array(CorridorLoopSchema),
})
export type CorridorMobility = z.infer<typeof CorridorMobilitySchema>

export const MobilityDashboardSchema = z.object({
  serverTimeMs: z.number(),
  /** Hourly points cover [fromMs, toMs); the last one, from partialFromMs, is the hour in progress. */
  window: z.object({ fromMs: z.number(), toMs: z.number(), hours: int, partialFromMs: z.number() }),
  congestion: z.object({ occupancyPctAtLeast: z.number(), speedKmhAtMost: z.number() }),
  /** Every district by name, empty ones included; then devices outside every district (district null), when there are any. Corridors by name. */
  districts: z.array(DistrictMobilitySchema),
  city: DistrictMobilitySchema,
  corridors: z.array(CorridorMobilitySchema),
})
export type MobilityDashboard = z.infer<typeof MobilityDashboardSchema>

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

export const PollutantSchema = z.enum(['no2', 'o3', 'pm10', 'pm25', 'co', 'ch4'])
export type Pollutant = z.infer<typeof PollutantSchema>
/** The unit each pollutant is shown and compared in (readings in another mass unit are converted; ppm/ppb are left out). */
export const POLLUTANT_UNITS: Record<Pollutant, 'ug/m3' | 'mg/m3'> = { no2: 'ug/m3', o3: 'ug/m3', pm10: 'ug/m3', pm25: 'ug/m3', co: 'mg/m3', ch4: 'mg/m3' }

/**
 * limit: a limit value (valore limite, D.Lgs. 155/2010 Allegato XI), legally binding; information- and
 * alarm-threshold: soglie (Allegato XII), the public must be informed / warned; target: a target value
 * (valore obiettivo, Allegato VII). Year-averaged values compare the year-to-date mean: indicative
 * until the year closes.
 */
export const StandardKindSchema = z.enum(['limit', 'information-threshold', 'alarm-threshold', 'target'])
/** hour: hourly mean; day: Europe/Rome daily mean; 8h: maximum daily 8-hour running mean (≥ 6 valid hours); year: calendar-year mean. */
export const StandardAveragingSchema = z.enum(['hour', 'day', '8h', 'year'])

export const AirQualityStandardSchema = z.object({
  id: z.string(),
  pollutant: PollutantSchema,
  kind: StandardKindSchema,
  averaging: StandardAveragingSchema,
  value: z.number(),
  unit: z.enum(['ug/m3', 'mg/m3']),
  /** Periods above the value allowed per calendar year (null: the count is not regulated). */
  allowedPerYear: int.nullable(),
  /** An alarm rule watches it (contracts/alarm-rules.ts AIR_QUALITY_LIMITS). */
  raisesAlarm: z.boolean(),
  what: z.string(),
  source: z.string(),
})
export type AirQualityStandard = z.infer<typeof AirQualityStandardSchema>

const lim = AIR_QUALITY_LIMITS
/** The values of D.Lgs. 155/2010 (transposing Directive 2008/50/EC) the environment dashboard compares with. */
export const AIR_QUALITY_STANDARDS: readonly AirQualityStandard[] = [
  { id: 'no2-hour', pollutant: 'no2', kind: 'limit', averaging: 'hour', value: lim.no2.limitUgM3, unit: 'ug/m3', allowedPerYear: 18, raisesAlarm: true, what: lim.no2.what, source: 'D.Lgs. 155/2010, Allegato XI' },
  { id: 'no2-year', pollutant: 'no2', kind: 'limit', averaging: 'year', value: 40, unit: 'ug/m3', allowedPerYear: null, raisesAlarm: false, what: 'NO₂ annual limit value', source: 'D.Lgs. 155/2010, Allegato XI' },
  { id: 'pm10-day', pollutant: 'pm10', kind: 'limit', averaging: 'day', value: lim.pm10.limitUgM3, unit: 'ug/m3', allowedPerYear: 35, raisesAlarm: true, what: lim.pm10.what, source: 'D.Lgs. 155/2010, Allegato XI' },
  { id: 'pm10-year', pollutant: 'pm10', kind: 'limit', averaging: 'year', value: 40, unit: 'ug/m3', allowedPerYear: null, raisesAlarm: false, what: 'PM10 annual limit value', source: 'D.Lgs. 155/2010, Allegato XI' },
  { id: 'pm25-year', pollutant: 'pm25', kind: 'limit', averaging: 'year', value: 25, unit: 'ug/m3', allowedPerYear: null, raisesAlarm: false, what: 'PM2.5 annual limit value', source: 'D.Lgs. 155/2010, Allegato XI' },
  { id: 'co-8h', pollutant: 'co', kind: 'limit', averaging: '8h', value: 10, unit: 'mg/m3', allowedPerYear: 0, raisesAlarm: false, what: 'CO limit value (maximum daily 8-hour mean)', source: 'D.Lgs. 155/2010, Allegato XI' },
  { id: 'o3-information', pollutant: 'o3', kind: 'information-threshold', averaging: 'hour', value: lim.o3.limitUgM3, unit: 'ug/m3', allowedPerYear: null, raisesAlarm: true, what: lim.o3.what, source: 'D.Lgs. 155/2010, Allegato XII' },
  { id: 'o3-alarm', pollutant: 'o3', kind: 'alarm-threshold', averaging: 'hour', value: 240, unit: 'ug/m3', allowedPerYear: null, raisesAlarm: false, what: 'O₃ alarm threshold', source: 'D.Lgs. 155/2010, Allegato XII' },
  { id: 'o3-8h', pollutant: 'o3', kind: 'target', averaging: '8h', value: 120, unit: 'ug/m3', allowedPerYear: 25, raisesAlarm: false, what: 'O₃ target value for health (maximum daily 8-hour mean; 25 days a year averaged over 3 years)', source: 'D.Lgs. 155/2010, Allegato VII' },
]

export const EnvironmentQuerySchema = z.object({ days: intParam(1, 31).default(7) })

export const SeriesPointSchema = z.object({
  /** Start of the hour, or of the Europe/Rome day for daily pollutants. */
  tMs: z.number(),
  /** Mean of the valid readings (invalid ones left out); null: none. */
  value: z.number().nullable(),
  /** Some reading in it is not validated yet. */
  provisional: z.boolean(),
})

/** One pollutant's figures at one station against one standard. */
export const StandardFigureSchema = z.object({
  standardId: z.string(),
  /** hour: today's maximum hourly mean; day: today's mean so far; 8h: today's maximum 8-hour mean; year: the year-to-date mean. */
  value: z.number().nullable(),
  above: z.boolean().nullable(),
  /** Hours (hour) or days (day, 8h) above the value this calendar year, today's so far included; null for year standards. Late readings of past days show within 10 minutes. */
  exceedancesThisYear: int.nullable(),
  allowedPerYear: int.nullable(),
  /** More exceedances than allowed this year. */
  breached: z.boolean().nullable(),
})
export type StandardFigure = z.infer<typeof StandardFigureSchema>

export const StationPollutantSchema = z.object({
  pollutant: PollutantSchema,
  unit: z.enum(['ug/m3', 'mg/m3']),
  /** Averaging of the readings: 3600 (hourly) or 86400 (daily). */
  averagingS: int,
  latest: z
    .object({ value: z.number().nullable(), validity: ValiditySchema, observedAtMs: z.number(), dataAgeMs: z.number(), quality: LiveQualitySchema })
    .nullable(),
  /** Hourly (averagingS 3600) or daily (86400) points over the window, oldest first, one per period. */
  series: z.object({ stepS: int, points: z.array(SeriesPointSchema) }),
  today: z.object({
    maxHourlyMean: z.number().nullable(),
    maxHourlyMeanAtMs: z.number().nullable(),
    mean: z.number().nullable(),
    maxEightHourMean: z.number().nullable(),
  }),
  /** This calendar year: the valid hourly (daily, for daily pollutants) values and their mean. */
  yearToDate: z.object({ mean: z.number().nullable(), validValues: int }),
  standards: z.array(StandardFigureSchema),
})
export type StationPollutant = z.infer<typeof StationPollutantSchema>

export const StationSchema = z.object({
  deviceId: DeviceIdSchema,
  name: z.string(),
  position: LonLatSchema,
  district: z.string().nullable(),
  pollutants: z.array(StationPollutantSchema),
})
export type Station = z.infer<typeof StationSchema>

export const EnvironmentDashboardSchema = z.object({
  serverTimeMs: z.number(),
  /** Hourly points start at hourlyFromMs, daily ones at dailyFromMs (a Europe/Rome midnight); both end at toMs. */
  window: z.object({ days: int, hourlyFromMs: z.number(), dailyFromMs: z.number(), toMs: z.number() }),
  /** Europe/Rome: today (YYYY-MM-DD) and this calendar year, with the instants they start. */
  today: z.object({ date: z.string(), fromMs: z.number() }),
  year: z.object({ year: int, fromMs: z.number() }),
  standards: z.array(AirQualityStandardSchema),
  stations: z.array(StationSchema),
})
export type EnvironmentDashboard = z.infer<typeof EnvironmentDashboardSchema>

// ---------------------------------------------------------------------------------------------
// Wall layouts
// ---------------------------------------------------------------------------------------------

export const WallLayoutSummarySchema = z.object({ id: z.string(), name: z.string() })
export const ListWallLayoutsResponseSchema = z.object({ layouts: z.array(WallLayoutSummarySchema) })
export const WallLayoutParamsSchema = z.object({ id: z.string().min(1).max(40) })

export const DASHBOARD_ROUTES = {
  mobilityDashboard: { method: 'get', path: '/api/dashboards/mobility', permission: 'live:read', operationId: 'mobilityDashboard', summary: 'Mobility by district and corridor: traffic loops and bicycle counters now, and per hour over the last hours (from the 1-hour rollups)', tags: ['dashboards'], query: MobilityQuerySchema, response: MobilityDashboardSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  environmentDashboard: { method: 'get', path: '/api/dashboards/environment', permission: 'live:read', operationId: 'environmentDashboard', summary: 'Air quality by station against D.Lgs. 155/2010: latest values with age and validity, hourly or daily series, today’s figures and this year’s exceedances', tags: ['dashboards'], query: EnvironmentQuerySchema, response: EnvironmentDashboardSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  listWallLayouts: { method: 'get', path: '/api/wall-layouts', permission: 'live:read', operationId: 'listWallLayouts', summary: 'The video wall layouts (scenes/walls/<id>.json)', tags: ['wall'], response: ListWallLayoutsResponseSchema, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  getWallLayout: { method: 'get', path: '/api/wall-layouts/:id', permission: 'live:read', operationId: 'getWallLayout', summary: 'One wall layout: its grid and tiles', tags: ['wall'], params: WallLayoutParamsSchema, response: WallLayoutSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
} as const satisfies Record<string, RouteContract>
