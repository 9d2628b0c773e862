/**
 * Demand per signal group from the real loop counts (docs/signals.md, "Evaluation"): the mean flow
 * at one Europe/Rome hour over the days of one type in the last N weeks, for the traffic loops that
 * the SUMO network links to the group's lanes (open-data loop ↔ `sumo_detector` ↔ SUMO lane).
 *
 * Which loops count for a group (`sumo_detector` rows of the network with a `device_id`):
 *  1. lane level — detectors on one of the group's own lanes;
 *  2. approach level — when there are none, detectors on any lane of the group's approach edge;
 *  3. none — flow null, no loops.
 * A detector that is not linked to a loop device (`device_id` null) does not count.
 *
 * How a flow is made:
 *  - A loop's hourly flow on a day is the mean `flow_veh_h` of its readings in that Rome-local hour
 *    (on the day clocks go back, the two UTC hours of the repeated hour together; the hour clocks
 *    skip does not exist, so that day has no value). The loop's flow is the mean of that over the
 *    days of the day type in the window that have counts; `samples` is how many such days it had.
 *  - One open-data loop counts the whole road section, and the SUMO networks place one detector per
 *    lane for it (`2.19_2.20_8_1__l0`, `__l1`, …): a loop linked by several detectors is counted
 *    once, its flow spread evenly over the distinct lanes its detectors of this network are on.
 *    Two loops on the same lane count the same vehicles: the lane takes their mean.
 *  - A lane that several groups of the controller list (a shared through/left lane) is split
 *    evenly among them, so the groups of an approach add up to what its loops counted.
 *  - Lane level: the group's flow is the sum over its lanes with a loop of that lane's share.
 *  - Approach level: the approach's flow (the sum over the edge's lanes with a loop) is shared
 *    among all the controller's groups of that approach in proportion to their lane counts
 *    (a group listing no lane weighs as one); the group takes its part. An estimate: such a
 *    group's own lanes are not measured.
 *  - Loops without counts in the window add nothing (their `samples` is 0); a group whose loops
 *    all have none has flow null.
 * Day types follow the Rome calendar: weekday Monday–Friday, saturday, sunday — and a public
 * holiday (the national ones, Easter Monday, and Bologna's San Petronio on 4 October) counts as a
 * Sunday, as traffic on it looks like a Sunday's; so it is left out of weekdays and Saturdays.
 *
 * Counts are read as history.ts reads a `1h` aggregation: from the `traffic_1h` rollup where it
 * answers (planRollupSpans), from raw `traffic_reading` otherwise (the newest minutes, a rollup
 * backfill); both as sums and counts, so every day-hour equals the raw mean. Only the target hours
 * are read: the UTC hours that are `hour` in Rome on the chosen days, computed here and bound as
 * arrays — one statement for the loops, one for the newest day (when no `untilDate`), one for the
 * counts.
 */
import type { SignalController } from '../../../contracts/schemas/signal-plan'
import type { Queryable } from './adapter'
import { planRollupSpans, type Span } from './history'
import { READING_TABLES } from './reading-tables'
import { rollupTableName } from './rollups'

export type DemandDayType = 'weekday' | 'saturday' | 'sunday'

export interface DemandQuery {
  /** Weeks back from untilDate, untilDate included: [untilDate − weeks·7 + 1, untilDate]. */
  weeks: number
  /** Europe/Rome calendar date (YYYY-MM-DD); default: the newest Rome day with counts of these loops. */
  untilDate?: string
  dayType: DemandDayType
  /** Rome-local hour 0–23: the hour [hour:00, hour+1:00). */
  hour: number
  /** untilDate alone, whatever its day type (`weeks` and `dayType` are then ignored): one real day (SUMO verification). */
  singleDay?: boolean
}

export interface GroupLoop {
  deviceId: string
  detectorId: string
  laneId: string
  /** Days of the window (of the day type) with counts at the hour. */
  samples: number
}

export interface GroupDemandRow {
  groupId: string
  /** veh/h; null when no loop counts this group (or its loops have no counts in the window). */
  flowVehH: number | null
  /** Lanes the group lists, at least 1 (as evaluate() counts them). */
  lanes: number
  /** Lane level: the detectors on the group's lanes; approach level: those on its approach edge. */
  loops: GroupLoop[]
}

export interface DemandWindow {
  fromDate: string
  untilDate: string
  /** Days of the day type in the window (whether they have counts or not). */
  days: number
  dayType: DemandDayType
  hour: number
}

export interface GroupDemandResult {
  demand: GroupDemandRow[]
  /** Null when no untilDate was given and these loops have no counts at all. */
  window: DemandWindow | null
}

export interface GroupDemandOptions {
  /** 'auto' (default): rollups where they answer the same as raw; 'raw': history rows only (tests). */
  source?: 'auto' | 'raw'
  /** The clock deciding which newest part of the window is read from raw (tests). */
  nowMs?: number
}

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/**
 * The counted flow of each loop at an hour: one real day (`singleDay`) or the mean of a day type over
 * `weeks` (the scenario explorer's base, ADR 0009). Loops without counts then are absent from the map.
 */
export async function loopFlows(q: Queryable, deviceIds: string[], query: DemandQuery, opts: GroupDemandOptions = {}): Promise<{ flows: Map<string, DeviceFlow>; window: DemandWindow | null }> {
  const untilDate = query.untilDate ?? (deviceIds.length === 0 ? null : await newestRomeDay(q, deviceIds))
  const window = untilDate === null ? null : demandWindow(untilDate, query)
  const flows = window === null || deviceIds.length === 0 ? new Map<string, DeviceFlow>() : await deviceFlows(q, deviceIds, window, opts)
  return { flows, window: window && { fromDate: window.fromDate, untilDate: window.untilDate, days: window.days.length, dayType: query.dayType, hour: query.hour } }
}

/** Demand per signal group of `controller` (in its group order) on network `networkId`. */
export async function groupDemand(q: Queryable, controller: SignalController, networkId: string | null, query: DemandQuery, opts: GroupDemandOptions = {}): Promise<GroupDemandResult> {
  const groups = controller.signalGroups.map((g) => ({ id: g.id, approach: g.approach ?? null, lanes: [...new Set(g.lanes)] }))
  const detectors = networkId === null ? [] : await linkedDetectors(q, networkId, [...new Set(groups.flatMap((g) => g.lanes))], [...new Set(groups.flatMap((g) => (g.approach === null ? [] : [g.approach])))])
  const deviceIds = [...new Set(detectors.map((d) => d.deviceId))].sort()

  const untilDate = query.untilDate ?? (deviceIds.length === 0 ? null : await newestRomeDay(q, deviceIds))
  const window = untilDate === null ? null : demandWindow(untilDate, query)
  const counts = window === null || deviceIds.length === 0 ? new Map<string, DeviceFlow>() : await deviceFlows(q, deviceIds, window, opts)

  // Lane → the flow its loops give it (mean over the loops on it of each loop's per-lane part).
  const lanesOfDevice = new Map<string, Set<string>>()
  for (const d of detectors) (lanesOfDevice.get(d.deviceId) ?? lanesOfDevice.set(d.deviceId, new Set()).get(d.deviceId)!).add(d.laneId)
  const devicesOfLane = new Map<string, Set<string>>()
  for (const d of detectors) (devicesOfLane.get(d.laneId) ?? devicesOfLane.set(d.laneId, new Set()).get(d.laneId)!).add(d.deviceId)
  const laneFlow = (laneId: string): number | null => {
    let sum = 0
    let n = 0
    for (const deviceId of [...(devicesOfLane.get(laneId) ?? [])].sort()) {
      const c = counts.get(deviceId)
      if (!c) continue
      sum += c.flowVehH / (lanesOfDevice.get(deviceId)?.size ?? 1)
      n++
    }
    return n === 0 ? null : sum / n
  }
  const groupsOfLane = new Map<string, number>()
  for (const g of groups) for (const l of g.lanes) groupsOfLane.set(l, (groupsOfLane.get(l) ?? 0) + 1)
  const weight = (g: (typeof groups)[number]) => Math.max(1, g.lanes.length)
  const loopsOf = (ds: LinkedDetector[]): GroupLoop[] =>
    ds.map((d) => ({ deviceId: d.deviceId, detectorId: d.detectorId, laneId: d.laneId, samples: counts.get(d.deviceId)?.samples ?? 0 }))
  /** Sum of the given lanes' flows, each multiplied by its factor; null when none has a flow. */
  const sumLanes = (lanes: Array<[string, number]>): number | null => {
    let total: number | null = null
    for (const [laneId, factor] of lanes) {
      const f = laneFlow(laneId)
      if (f !== null) total = (total ?? 0) + f * factor
    }
    return total
  }

  const demand = groups.map((g): GroupDemandRow => {
    const own = detectors.filter((d) => g.lanes.includes(d.laneId))
    if (own.length > 0) {
      const measured = g.lanes.filter((l) => devicesOfLane.has(l))
      return { groupId: g.id, flowVehH: sumLanes(measured.map((l) => [l, 1 / (groupsOfLane.get(l) ?? 1)])), lanes: weight(g), loops: loopsOf(own) }
    }
    const onApproach = g.approach === null ? [] : detectors.filter((d) => d.edgeId === g.approach)
    if (onApproach.length > 0) {
      const approachLanes = [...new Set(onApproach.map((d) => d.laneId))].sort()
      const share = weight(g) / groups.filter((h) => h.approach === g.approach).reduce((s, h) => s + weight(h), 0)
      const flow = sumLanes(approachLanes.map((l) => [l, 1]))
      return { groupId: g.id, flowVehH: flow === null ? null : flow * share, lanes: weight(g), loops: loopsOf(onApproach) }
    }
    return { groupId: g.id, flowVehH: null, lanes: weight(g), loops: [] }
  })
  return { demand, window: window && { fromDate: window.fromDate, untilDate: window.untilDate, days: window.days.length, dayType: query.dayType, hour: query.hour } }
}

// ---------------------------------------------------------------------------------------------
// The links: detector → loop device, lane, edge
// ---------------------------------------------------------------------------------------------

interface LinkedDetector {
  detectorId: string
  laneId: string
  edgeId: string
  deviceId: string
}

/**
 * Every linked detector of the network that is on one of `lanes` or on a lane of one of `edges`,
 * plus the other detectors of the same loop devices (a loop's lanes are all its detectors' lanes).
 * The edge of a lane comes from sumo_lane, else from the SUMO id rule `<edge>_<index>`.
 */
async function linkedDetectors(q: Queryable, networkId: string, lanes: string[], edges: string[]): Promise<LinkedDetector[]> {
  if (lanes.length === 0 && edges.length === 0) return []
  const r = await q.query<{ id: string; lane_id: string; edge_id: string; device_id: string }>(
    `WITH det AS (
       SELECT d.id, d.lane_id, d.device_id, coalesce(l.edge_id, regexp_replace(d.lane_id, '_[0-9]+$', '')) AS edge_id
       FROM sumo_detector d LEFT JOIN sumo_lane l ON l.network_id = d.network_id AND l.id = d.lane_id
       WHERE d.network_id = $1 AND d.device_id IS NOT NULL
     )
     SELECT id, lane_id, edge_id, device_id FROM det
     WHERE device_id IN (SELECT device_id FROM det WHERE lane_id = ANY($2::text[]) OR edge_id = ANY($3::text[]))
     ORDER BY id`,
    [networkId, lanes, edges],
  )
  return r.rows.map((x) => ({ detectorId: x.id, laneId: x.lane_id, edgeId: x.edge_id, deviceId: x.device_id }))
}

// ---------------------------------------------------------------------------------------------
// The window on the Rome calendar
// ---------------------------------------------------------------------------------------------

interface Window {
  fromDate: string
  untilDate: string
  /** The days of the day type, as YYYY-MM-DD. */
  days: string[]
  /** [Rome midnight of fromDate, Rome midnight after untilDate). */
  span: Span
  /** The UTC hour starts that are `hour` in Rome on those days, with their day. */
  hours: Array<{ ms: number; day: string }>
}

function demandWindow(untilDate: string, query: DemandQuery): Window {
  const until = dayNumberOf(untilDate)
  const from = query.singleDay ? until : until - query.weeks * 7 + 1
  const days: string[] = []
  const hours: Window['hours'] = []
  for (let d = from; d <= until; d++) {
    if (!query.singleDay && dayTypeOf(d) !== query.dayType) continue
    const day = dateOf(d)
    days.push(day)
    for (const ms of romeHourStarts(d, query.hour)) hours.push({ ms, day })
  }
  return { fromDate: dateOf(from), untilDate, days, span: [romeHourStarts(from, 0)[0]!, romeHourStarts(until + 1, 0)[0]!], hours }
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Days since 1970-01-01 of a calendar date YYYY-MM-DD. */
function dayNumberOf(date: string): number {
  const m = DATE_RE.exec(date)
  if (!m) throw new Error(`not a date (YYYY-MM-DD): ${date}`)
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (dateOf(ms / DAY_MS) !== date) throw new Error(`not a calendar date: ${date}`)
  return ms / DAY_MS
}

const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)

/** weekday / saturday / sunday of a Rome calendar day; public holidays are Sundays. */
export function dayTypeOf(day: number): DemandDayType {
  const isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1 // 1970-01-01 was a Thursday
  if (isoWeekday === 7 || isHoliday(day)) return 'sunday'
  return isoWeekday === 6 ? 'saturday' : 'weekday'
}

/** National public holidays of Italy, plus Bologna's patron saint (San Petronio, 4 October). */
const FIXED_HOLIDAYS = new Set(['01-01', '01-06', '04-25', '05-01', '06-02', '08-15', '10-04', '11-01', '12-08', '12-25', '12-26'])

function isHoliday(day: number): boolean {
  const date = dateOf(day)
  if (FIXED_HOLIDAYS.has(date.slice(5))) return true
  return day === easterSunday(Number(date.slice(0, 4))) + 1 // Lunedì dell'Angelo
}

/** Day number of Easter Sunday (Gregorian; the anonymous algorithm, Meeus/Jones/Butcher). */
function easterSunday(year: number): number {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const dom = ((h + l - 7 * m + 114) % 31) + 1
  return Date.UTC(year, month - 1, dom) / DAY_MS
}

const ROME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })

/** Rome wall-clock time of an instant, as epoch ms of the same wall time in UTC. */
function romeWallMs(ms: number): number {
  const p = Object.fromEntries(ROME.formatToParts(ms).map((x) => [x.type, x.value]))
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute))
}

/**
 * The UTC instants at which Rome's clocks show `hour`:00 on calendar day `day`: one, none (the hour
 * skipped when summer time starts) or two (the hour repeated when it ends). Rome is UTC+1 or +2.
 */
export function romeHourStarts(day: number, hour: number): number[] {
  const wall = day * DAY_MS + hour * HOUR_MS
  return [2 * HOUR_MS, HOUR_MS].map((offset) => wall - offset).filter((ms) => romeWallMs(ms) === wall)
}

// ---------------------------------------------------------------------------------------------
// Counts
// ---------------------------------------------------------------------------------------------

/**
 * The flow of each loop at one Rome day and hour (the day's mean `flow_veh_h` in that hour, read as
 * groupDemand reads it); loops without counts then are left out.
 */
export async function loopFlowsAt(q: Queryable, deviceIds: string[], date: string, hour: number, opts: GroupDemandOptions = {}): Promise<Map<string, number>> {
  if (deviceIds.length === 0) return new Map()
  const w = demandWindow(date, { weeks: 1, untilDate: date, dayType: 'weekday', hour, singleDay: true })
  const flows = await deviceFlows(q, [...new Set(deviceIds)].sort(), w, opts)
  return new Map([...flows].map(([id, f]) => [id, f.flowVehH]))
}

/** The newest Rome calendar day with traffic counts of these devices (rollups or raw), or null. */
export async function newestRomeDay(q: Queryable, deviceIds: string[]): Promise<string | null> {
  const t = READING_TABLES.traffic
  const r = await q.query<{ day: string | null }>(
    `SELECT to_char(max(x.at) AT TIME ZONE 'Europe/Rome', 'YYYY-MM-DD') AS day
     FROM unnest($1::text[]) AS d(id)
     CROSS JOIN LATERAL (
       SELECT (SELECT r.bucket FROM ${rollupTableName(t, '1h')} r WHERE r.device_id = d.id AND r.stream = 'traffic' ORDER BY r.bucket DESC LIMIT 1) AS at
       UNION ALL
       SELECT (SELECT r.observed_at FROM ${t.table} r WHERE r.device_id = d.id AND r.stream = 'traffic' AND r.quality <> 'clock_skew_future' ORDER BY r.observed_at DESC LIMIT 1)
     ) x`,
    [deviceIds],
  )
  return r.rows[0]?.day ?? null
}

export interface DeviceFlow {
  flowVehH: number
  samples: number
}

/**
 * Per device: the mean over the window's days with counts of the day's mean flow at the hour. Each
 * target hour is read from the 1-hour rollup when the rollups answer for it (history.ts's rule),
 * else from raw readings; either way as a sum and a count, finished per device and day.
 */
async function deviceFlows(q: Queryable, deviceIds: string[], w: Window, opts: GroupDemandOptions): Promise<Map<string, DeviceFlow>> {
  const out = new Map<string, DeviceFlow>()
  if (w.hours.length === 0) return out
  const t = READING_TABLES.traffic
  const plan = opts.source === 'raw' ? null : await planRollupSpans(q, t, w.span[0], w.span[1], '1h', opts.nowMs ?? Date.now())
  const fromRollup = (ms: number) => plan !== null && ms >= plan.rollup[0] && ms + HOUR_MS <= plan.rollup[1]
  const rollupHours = w.hours.filter((h) => fromRollup(h.ms))
  const rawHours = w.hours.filter((h) => !fromRollup(h.ms))
  const iso = (hs: Window['hours']) => hs.map((h) => new Date(h.ms).toISOString())
  const r = await q.query<{ device_id: string; flow: number; samples: number }>(
    `WITH parts AS (
       SELECT r.device_id, h.day, r.flow_veh_h_sum::float8 AS s, r.flow_veh_h_n::int8 AS n
       FROM unnest($2::timestamptz[], $3::text[]) AS h(at, day)
       JOIN ${rollupTableName(t, '1h')} r ON r.bucket = h.at
       WHERE r.device_id = ANY($1::text[]) AND r.stream = 'traffic'
       UNION ALL
       SELECT r.device_id, h.day, sum(r.flow_veh_h::float8), count(r.flow_veh_h)::int8
       FROM unnest($4::timestamptz[], $5::text[]) AS h(at, day)
       JOIN ${t.table} r ON r.observed_at >= h.at AND r.observed_at < h.at + interval '1 hour'
       WHERE r.device_id = ANY($1::text[]) AND r.stream = 'traffic' AND r.quality <> 'clock_skew_future'
       GROUP BY 1, 2
     ), days AS (
       SELECT device_id, day, sum(s) / sum(n)::float8 AS flow FROM parts GROUP BY 1, 2 HAVING sum(n) > 0
     )
     SELECT device_id, (sum(flow ORDER BY day) / count(*))::float8 AS flow, count(*)::int AS samples
     FROM days GROUP BY 1 ORDER BY 1`,
    [deviceIds, iso(rollupHours), rollupHours.map((h) => h.day), iso(rawHours), rawHours.map((h) => h.day)],
  )
  for (const x of r.rows) out.set(x.device_id, { flowVehH: Number(x.flow), samples: Number(x.samples) })
  return out
}
