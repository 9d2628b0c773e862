/**
 * The SQL of the thematic dashboards (contracts/dashboard-api.ts): devices with their district and
 * latest state, and hourly figures of many devices at once.
 *
 * Hourly figures are read as history.ts reads a `1h` aggregation, for many devices in one statement:
 * the whole hours of the window from the `<shape>_1h` rollups, the rest — the newest 2 minutes, an
 * unaligned edge — from raw history aggregated to the sums-and-counts layout of rollups.ts, then
 * finished per device and hour. So each device-hour equals the raw aggregate; then devices are
 * combined per group (district, corridor) or, for air quality, per Europe/Rome day and year.
 * Devices are named by id arrays (`device_id = ANY(…)`), which the history and rollup primary keys
 * (device_id, stream, time) answer with one index range per device.
 */
import type { DeviceKind } from '../../../contracts/schemas/device'
import type { Queryable } from './adapter'
import { planRollupSpans, type Span } from './history'
import { READING_TABLES, type MetricColumn, type ReadingTable } from './reading-tables'
import { bucketSql, partialColumns, rawPartials, rollupTableName } from './rollups'

const HOUR_MS = 3_600_000
const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`

export interface HourlyReadOptions {
  /** 'auto' (default): rollups where they answer the same as raw; 'raw': history rows only (tests compare both). */
  source?: 'auto' | 'raw'
}

// ---------------------------------------------------------------------------------------------
// Devices and districts
// ---------------------------------------------------------------------------------------------

export interface DistrictRow {
  id: string
  code: string
  name: string
}

/** Every district (area of kind quartiere), by name. */
export async function listDistricts(q: Queryable): Promise<DistrictRow[]> {
  const r = await q.query<DistrictRow>(`SELECT id, code, name FROM area WHERE kind = 'quartiere'`)
  return r.rows.sort((a, b) => a.name.localeCompare(b.name, 'it') || (a.id < b.id ? -1 : 1))
}

export interface LatestRow {
  stream: string
  observedAtMs: number
  quality: 'good' | 'uncertain' | 'bad' | 'clock_skew_future'
  values: Record<string, unknown>
}

export interface DashboardDevice {
  id: string
  kind: DeviceKind
  name: string
  position: [number, number]
  expectedIntervalS: number
  props: Record<string, unknown>
  /** The district the device is in (ST_Contains), null outside every district. */
  district: DistrictRow | null
  /** The latest reading of each of its streams. */
  latest: LatestRow[]
}

/** Devices of the given kinds with their district and the latest state of every stream, by id. */
export async function devicesWithLatest(q: Queryable, kinds: readonly DeviceKind[]): Promise<DashboardDevice[]> {
  const r = await q.query<{
    id: string
    kind: DeviceKind
    name: string
    lon: number
    lat: number
    expected_interval_s: number
    props: Record<string, unknown>
    area_id: string | null
    area_code: string | null
    area_name: string | null
    latest: Array<{ stream: string; observedMs: number; quality: LatestRow['quality']; vals: Record<string, unknown> }> | null
  }>(
    `SELECT d.id, d.kind, d.name, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat, d.expected_interval_s, d.props,
       q.id AS area_id, q.code AS area_code, q.name AS area_name,
       (SELECT jsonb_agg(jsonb_build_object('stream', l.stream, 'observedMs', ${ms('l.observed_at')}, 'quality', l.quality, 'vals', l.vals) ORDER BY l.stream)
        FROM latest_state l WHERE l.device_id = d.id) AS latest
     FROM device d
     LEFT JOIN LATERAL (
       SELECT a.id, a.code, a.name FROM area a WHERE a.kind = 'quartiere' AND ST_Contains(a.geom, d.geom) ORDER BY a.code LIMIT 1
     ) q ON true
     WHERE d.kind = ANY($1::text[])
     ORDER BY d.id`,
    [kinds],
  )
  return r.rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    name: row.name,
    position: [Number(row.lon), Number(row.lat)],
    expectedIntervalS: Number(row.expected_interval_s),
    props: row.props ?? {},
    district: row.area_id === null ? null : { id: row.area_id, code: row.area_code ?? '', name: row.area_name ?? '' },
    latest: (row.latest ?? []).map((l) => ({ stream: l.stream, observedAtMs: Number(l.observedMs), quality: l.quality, values: l.vals })),
  }))
}

/** Open alarms of corridor rules (subject `corridor`), by rule id. */
export async function openCorridorAlarms(q: Queryable, ruleIds: readonly string[]): Promise<Map<string, { id: number; active: boolean; acked: boolean }>> {
  if (ruleIds.length === 0) return new Map()
  const r = await q.query<{ id: string; rule_id: string; active: boolean; acked: boolean }>(
    `SELECT id::text AS id, rule_id, active, acked FROM alarm WHERE closed_at IS NULL AND subject = 'corridor' AND rule_id = ANY($1::text[])`,
    [ruleIds],
  )
  return new Map(r.rows.map((x) => [x.rule_id, { id: Number(x.id), active: x.active, acked: x.acked }]))
}

// ---------------------------------------------------------------------------------------------
// Hourly partials of many devices
// ---------------------------------------------------------------------------------------------

export interface HourlyPlan {
  rollup: Span | null
  raw: Span[]
}

/** Which part of [fromMs, toMs) the 1-hour rollups answer and what raw must add (history.ts's rule). */
export async function planHourly(q: Queryable, table: ReadingTable, fromMs: number, toMs: number, nowMs: number, opts: HourlyReadOptions): Promise<HourlyPlan> {
  const rawOnly: HourlyPlan = { rollup: null, raw: [[fromMs, toMs]] }
  if (opts.source === 'raw') return rawOnly
  return (await planRollupSpans(q, table, fromMs, toMs, '1h', nowMs)) ?? rawOnly
}

export class Params {
  readonly values: unknown[] = []
  add(v: unknown): string {
    this.values.push(v)
    return `$${this.values.length}`
  }
  span(column: string, [from, to]: Span): string {
    return `${column} >= to_timestamp(${this.add(from)}::float8 / 1000.0) AND ${column} < to_timestamp(${this.add(to)}::float8 / 1000.0)`
  }
}

/**
 * One row per device, stream and hour of the plan: `n` and each metric finished as history.ts returns
 * it (avg for rates and levels, sum for counts, last for states). Raw spans are aggregated by hour to
 * rollups.ts's partial layout; `_1h` rows already are one hour each. The plan's spans are disjoint
 * whole hours (an edge hour comes from raw alone), so each device-hour comes from one source, and is
 * finished row by row — without the per-group sorts of rollups.ts's `finalValues`, which took 2 of
 * the 2.4 s of a year of seven stations. `where` filters device_id and stream (in both sources).
 */
export function deviceHours(table: ReadingTable, plan: HourlyPlan, p: Params, where: string): string {
  const parts = plan.raw.map(
    (s) =>
      `SELECT device_id, stream, ${bucketSql(3600, 'observed_at')} AS bucket, ${rawPartials(table)}
       FROM ${table.table} WHERE ${where} AND ${p.span('observed_at', s)} AND quality <> 'clock_skew_future'
       GROUP BY 1, 2, 3`,
  )
  if (plan.rollup) parts.push(`SELECT device_id, stream, bucket, ${partialColumns(table).join(', ')} FROM ${rollupTableName(table, '1h')} WHERE ${where} AND ${p.span('bucket', plan.rollup)}`)
  return `SELECT device_id, stream, bucket, n::int AS n, ${table.metrics.map(finished).join(', ')}
    FROM (${parts.join('\n UNION ALL \n')}) parts`
}

/** A metric of one partial-layout row finished as rollups.ts's `finalValues` finishes a group. */
function finished(m: MetricColumn): string {
  switch (m.agg) {
    case 'avg':
      return m.kind === 'int' ? `(${m.col}_sum::numeric / nullif(${m.col}_n, 0))::float8 AS ${m.col}` : `(${m.col}_sum / nullif(${m.col}_n, 0)::float8)::float8 AS ${m.col}`
    case 'sum':
      return `${m.col}_sum::float8 AS ${m.col}`
    case 'max':
      return `${m.col}_max AS ${m.col}`
    case 'last':
      return `${m.col}_last AS ${m.col}`
  }
}

/** A device in a group (a district, a corridor, the city); a device may be in several. */
export interface GroupMember {
  deviceId: string
  group: string
}

export interface TrafficGroupHour {
  group: string
  tMs: number
  loops: number
  flowVehH: number | null
  occupancyPct: number | null
  speedKmh: number | null
  readings: number
}

/**
 * Per group and hour of [fromMs, toMs): the loops with readings, the sum of their hourly mean flows,
 * and the mean across loops of their hourly mean occupancy and speed (loops without speed left out).
 * Summed in device order, so that the same data always gives the same last digit.
 */
export async function trafficHoursByGroup(q: Queryable, members: readonly GroupMember[], fromMs: number, toMs: number, nowMs: number, opts: HourlyReadOptions = {}): Promise<TrafficGroupHour[]> {
  if (members.length === 0 || toMs <= fromMs) return []
  const t = READING_TABLES.traffic
  const plan = await planHourly(q, t, fromMs, toMs, nowMs, opts)
  const p = new Params()
  const groups = `unnest(${p.add(members.map((m) => m.deviceId))}::text[], ${p.add(members.map((m) => m.group))}::text[]) AS m(device_id, grp)`
  const ids = p.add([...new Set(members.map((m) => m.deviceId))])
  const r = await q.query<{ grp: string; ms: number; loops: number; flow: number | null; occ: number | null; speed: number | null; readings: number }>(
    `WITH dh AS (${deviceHours(t, plan, p, `device_id = ANY(${ids}::text[]) AND stream = 'traffic'`)})
     SELECT m.grp, ${ms('dh.bucket')} AS ms, count(*)::int AS loops, sum(dh.flow_veh_h ORDER BY dh.device_id)::float8 AS flow,
       avg(dh.occupancy_pct ORDER BY dh.device_id)::float8 AS occ, avg(dh.speed_kmh ORDER BY dh.device_id)::float8 AS speed, sum(dh.n)::int AS readings
     FROM dh JOIN ${groups} ON m.device_id = dh.device_id
     GROUP BY 1, 2 ORDER BY 1, 2`,
    p.values,
  )
  return r.rows.map((x) => ({
    group: x.grp,
    tMs: Number(x.ms),
    loops: Number(x.loops),
    flowVehH: x.flow === null ? null : Number(x.flow),
    occupancyPct: x.occ === null ? null : Number(x.occ),
    speedKmh: x.speed === null ? null : Number(x.speed),
    readings: Number(x.readings),
  }))
}

export interface BikeGroupHour {
  group: string
  tMs: number
  counters: number
  bikes: number
}

/** Per group and hour of [fromMs, toMs): the counters with counts and the bikes they counted. */
export async function bikeHoursByGroup(q: Queryable, members: readonly GroupMember[], fromMs: number, toMs: number, nowMs: number, opts: HourlyReadOptions = {}): Promise<BikeGroupHour[]> {
  if (members.length === 0 || toMs <= fromMs) return []
  const t = READING_TABLES['bike-count']
  const plan = await planHourly(q, t, fromMs, toMs, nowMs, opts)
  const p = new Params()
  const groups = `unnest(${p.add(members.map((m) => m.deviceId))}::text[], ${p.add(members.map((m) => m.group))}::text[]) AS m(device_id, grp)`
  const ids = p.add([...new Set(members.map((m) => m.deviceId))])
  const r = await q.query<{ grp: string; ms: number; counters: number; bikes: number }>(
    `WITH dh AS (${deviceHours(t, plan, p, `device_id = ANY(${ids}::text[]) AND stream = 'bikes'`)})
     SELECT m.grp, ${ms('dh.bucket')} AS ms, count(*)::int AS counters, sum(dh.bikes)::float8 AS bikes
     FROM dh JOIN ${groups} ON m.device_id = dh.device_id
     GROUP BY 1, 2 ORDER BY 1, 2`,
    p.values,
  )
  return r.rows.map((x) => ({ group: x.grp, tMs: Number(x.ms), counters: Number(x.counters), bikes: Number(x.bikes) }))
}

export interface GateGroupHour {
  group: string
  tMs: number
  gates: number
  vehicles: number
  readings: number
}

/**
 * Per group and hour of [fromMs, toMs): the ZTL gates with readings, the vehicles they counted and
 * their readings. Unauthorized transits are left out of what is returned: enforcement figures are
 * not part of these hourly aggregates.
 */
export async function gateHoursByGroup(q: Queryable, members: readonly GroupMember[], fromMs: number, toMs: number, nowMs: number, opts: HourlyReadOptions = {}): Promise<GateGroupHour[]> {
  if (members.length === 0 || toMs <= fromMs) return []
  const t = READING_TABLES.gate
  const plan = await planHourly(q, t, fromMs, toMs, nowMs, opts)
  const p = new Params()
  const groups = `unnest(${p.add(members.map((m) => m.deviceId))}::text[], ${p.add(members.map((m) => m.group))}::text[]) AS m(device_id, grp)`
  const ids = p.add([...new Set(members.map((m) => m.deviceId))])
  const r = await q.query<{ grp: string; ms: number; gates: number; vehicles: number; readings: number }>(
    `WITH dh AS (${deviceHours(t, plan, p, `device_id = ANY(${ids}::text[]) AND stream = 'gate'`)})
     SELECT m.grp, ${ms('dh.bucket')} AS ms, count(*)::int AS gates, sum(dh.vehicles)::float8 AS vehicles, sum(dh.n)::int AS readings
     FROM dh JOIN ${groups} ON m.device_id = dh.device_id
     GROUP BY 1, 2 ORDER BY 1, 2`,
    p.values,
  )
  return r.rows.map((x) => ({ group: x.grp, tMs: Number(x.ms), gates: Number(x.gates), vehicles: Number(x.vehicles), readings: Number(x.readings) }))
}

// ---------------------------------------------------------------------------------------------
// Air quality
// ---------------------------------------------------------------------------------------------

/** Readings in µg/m³ (mg/m³ × 1000); ppm and ppb cannot be converted without more than the reading says. */
const UG_FACTOR = `(CASE h.unit WHEN 'ug/m3' THEN 1 WHEN 'mg/m3' THEN 1000 END)::float8`
/** Europe/Rome calendar days, as the air-quality rules count them (the Rome hour of a UTC hour is the same hour). */
const ROME_DAY = (col: string) => `date_trunc('day', ${col}, 'Europe/Rome')`

const airQualityHours = (p: Params, plan: HourlyPlan, deviceIds: readonly string[], streams: readonly string[]) =>
  deviceHours(READING_TABLES['air-quality'], plan, p, `device_id = ANY(${p.add(deviceIds)}::text[]) AND stream = ANY(${p.add(streams)}::text[])`)

export interface AirQualityHour {
  deviceId: string
  stream: string
  tMs: number
  /** Start of its Europe/Rome day. */
  dayMs: number
  /** Mean of the hour's readings in µg/m³, and how many. */
  meanUg: number
  n: number
  /** The validity of the hour's latest reading (ARPAE publishes one value per hour: its own flag). */
  validity: string
}

/** Hourly means of the stations' pollutants over [fromMs, toMs), oldest first; hours in a unit that does not convert to µg/m³ are left out. */
export async function airQualityHourly(q: Queryable, deviceIds: readonly string[], streams: readonly string[], fromMs: number, toMs: number, nowMs: number, opts: HourlyReadOptions = {}): Promise<AirQualityHour[]> {
  if (deviceIds.length === 0 || streams.length === 0 || toMs <= fromMs) return []
  const plan = await planHourly(q, READING_TABLES['air-quality'], fromMs, toMs, nowMs, opts)
  const p = new Params()
  const r = await q.query<{ device_id: string; stream: string; ms: number; day_ms: number; mean_ug: number; n: number; validity: string }>(
    `SELECT h.device_id, h.stream, ${ms('h.bucket')} AS ms, ${ms(ROME_DAY('h.bucket'))} AS day_ms, (h.value * ${UG_FACTOR})::float8 AS mean_ug, h.n, h.validity
     FROM (${airQualityHours(p, plan, deviceIds, streams)}) h
     WHERE h.n > 0 AND ${UG_FACTOR} IS NOT NULL
     ORDER BY 1, 2, 3`,
    p.values,
  )
  return r.rows.map((x) => ({ deviceId: x.device_id, stream: x.stream, tMs: Number(x.ms), dayMs: Number(x.day_ms), meanUg: Number(x.mean_ug), n: Number(x.n), validity: x.validity }))
}

/** A value a pollutant is compared with, in µg/m³, averaged over an hour, a Rome day, or the day's maximum 8-hour mean. */
export interface ExceedanceStandard {
  id: string
  pollutant: string
  averaging: 'hour' | 'day' | '8h'
  thresholdUg: number
}

export interface AirQualityYear {
  /** `${deviceId}/${stream}` → the valid hourly (or daily) values in [yearFromMs, toMs): how many, and their readings' count and sum in µg/m³. */
  sums: Map<string, { periods: number; readings: number; sumUg: number }>
  /** `${deviceId}/${standardId}` → hours or days above the standard in [yearFromMs, toMs). */
  exceedances: Map<string, number>
}

/**
 * A part of the calendar year in one statement — the dashboard asks for the days before today, which
 * change only with late readings, and adds today from its hourly series: per station and pollutant
 * the valid values and their sum; per station and standard the hours (hour means), Europe/Rome days (day means) or days
 * (maximum daily 8-hour running mean over ≥ 6 valid hours of the 8, each mean counted on the day its
 * last hour is in — Directive 2008/50/EC Annex VII) above the threshold, strictly. Invalid hours are
 * left out. `yearFromMs` must be an hour boundary.
 */
export async function airQualityYear(
  q: Queryable,
  deviceIds: readonly string[],
  streams: readonly string[],
  standards: readonly ExceedanceStandard[],
  yearFromMs: number,
  toMs: number,
  nowMs: number,
  opts: HourlyReadOptions = {},
): Promise<AirQualityYear> {
  const out: AirQualityYear = { sums: new Map(), exceedances: new Map() }
  if (deviceIds.length === 0 || streams.length === 0 || toMs <= yearFromMs) return out
  // Seven hours before the year: the first 8-hour means of 1 January start on 31 December at 17:00.
  const fromMs = yearFromMs - 7 * HOUR_MS
  const plan = await planHourly(q, READING_TABLES['air-quality'], fromMs, toMs, nowMs, opts)
  const p = new Params()
  const hours = airQualityHours(p, plan, deviceIds, streams)
  const year = `to_timestamp(${p.add(yearFromMs)}::float8 / 1000.0)`
  const std = `unnest(${p.add(standards.map((s) => s.id))}::text[], ${p.add(standards.map((s) => s.pollutant))}::text[], ${p.add(standards.map((s) => s.averaging))}::text[], ${p.add(standards.map((s) => s.thresholdUg))}::float8[]) AS s(id, pollutant, averaging, threshold)`
  const streamsOf = (averaging: ExceedanceStandard['averaging']) => p.add([...new Set(standards.filter((s) => s.averaging === averaging).map((s) => s.pollutant))])
  const eightHourStreams = streamsOf('8h')
  const r = await q.query<{ device_id: string; stream: string; standard_id: string | null; n: number; readings: number | null; sum_ug: number | null }>(
    `WITH v AS (
       SELECT h.device_id, h.stream, h.bucket, h.n, (h.value * ${UG_FACTOR})::float8 AS ug
       FROM (${hours}) h
       WHERE h.validity <> 'invalid' AND h.n > 0 AND ${UG_FACTOR} IS NOT NULL
     ),
     eight AS (
       -- The 8-hour means ending at each valid hour and at the two hours after it: every mean over
       -- ≥ 6 of its 8 hours ends at one of those (if its last two hours are missing, the 6 before are
       -- all valid). A mean found twice is the same mean, and only the day's maximum is kept.
       SELECT device_id, stream, bucket + k * interval '1 hour' AS ends_at, m, c
       FROM (
         SELECT device_id, stream, bucket,
           avg(ug) OVER w0 AS m0, count(*) OVER w0 AS c0, avg(ug) OVER w1 AS m1, count(*) OVER w1 AS c1, avg(ug) OVER w2 AS m2, count(*) OVER w2 AS c2
         FROM v WHERE stream = ANY(${eightHourStreams}::text[])
         WINDOW w0 AS (PARTITION BY device_id, stream ORDER BY bucket RANGE BETWEEN interval '7 hours' PRECEDING AND CURRENT ROW),
                w1 AS (PARTITION BY device_id, stream ORDER BY bucket RANGE BETWEEN interval '6 hours' PRECEDING AND interval '1 hour' FOLLOWING),
                w2 AS (PARTITION BY device_id, stream ORDER BY bucket RANGE BETWEEN interval '5 hours' PRECEDING AND interval '2 hours' FOLLOWING)
       ) w
       CROSS JOIN LATERAL (VALUES (0, w.m0, w.c0), (1, w.m1, w.c1), (2, w.m2, w.c2)) AS x(k, m, c)
       WHERE c >= 6
     ),
     periods AS (
       SELECT device_id, stream, 'hour' AS averaging, ug AS value FROM v WHERE bucket >= ${year} AND stream = ANY(${streamsOf('hour')}::text[])
       UNION ALL
       SELECT device_id, stream, 'day', sum(ug * n) / sum(n) FROM v WHERE bucket >= ${year} AND stream = ANY(${streamsOf('day')}::text[])
       GROUP BY device_id, stream, ${ROME_DAY('bucket')}
       UNION ALL
       SELECT device_id, stream, '8h', max(m) FROM eight
       WHERE ends_at >= ${year} AND ends_at < to_timestamp(${p.add(toMs)}::float8 / 1000.0)
       GROUP BY device_id, stream, ${ROME_DAY('ends_at')}
     )
     SELECT device_id, stream, NULL::text AS standard_id, count(*)::int AS n, sum(n)::int AS readings, sum(ug * n)::float8 AS sum_ug
     FROM v WHERE bucket >= ${year} GROUP BY 1, 2
     UNION ALL
     SELECT pr.device_id, pr.stream, s.id, (count(*) FILTER (WHERE pr.value > s.threshold))::int, NULL, NULL
     FROM periods pr JOIN ${std} ON s.pollutant = pr.stream AND s.averaging = pr.averaging
     GROUP BY 1, 2, 3`,
    p.values,
  )
  for (const x of r.rows) {
    if (x.standard_id === null) out.sums.set(`${x.device_id}/${x.stream}`, { periods: Number(x.n), readings: Number(x.readings), sumUg: Number(x.sum_ug) })
    else out.exceedances.set(`${x.device_id}/${x.standard_id}`, Number(x.n))
  }
  return out
}
