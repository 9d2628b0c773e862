/**
 * The SQL of the public mobility theme (server/src/dashboards/themes/mobility-theme.ts): devices placed
 * in the districts and statistical areas, the loops' figures over a whole period per group of devices,
 * and the credits of the imported datasets a dashboard draws on.
 *
 * The hourly figures are dashboards.ts's: each device-hour is read from the 1-hour rollups and raw
 * history as history.ts reads a `1h` aggregation (deviceHours), then combined here over the period.
 */
import type { Queryable } from './adapter'
import { deviceHours, Params, planHourly, type GroupMember, type HourlyReadOptions } from './dashboards'
import { READING_TABLES } from './reading-tables'

export interface PlacedDevice {
  id: string
  /** The district (area of kind quartiere) and statistical area that contain the device (ST_Contains), null outside every one. */
  quartiereId: string | null
  areaStatisticaId: string | null
}

/** The devices named, each with the district and statistical area it is in; by id. */
export async function placeDevices(q: Queryable, deviceIds: readonly string[]): Promise<PlacedDevice[]> {
  if (deviceIds.length === 0) return []
  const inArea = (kind: string) => `(SELECT a.id FROM area a WHERE a.kind = '${kind}' AND ST_Contains(a.geom, d.geom) ORDER BY a.code, a.id LIMIT 1)`
  const r = await q.query<{ id: string; quartiere_id: string | null; area_statistica_id: string | null }>(
    `SELECT d.id, ${inArea('quartiere')} AS quartiere_id, ${inArea('area_statistica')} AS area_statistica_id
     FROM device d WHERE d.id = ANY($1::text[]) ORDER BY d.id`,
    [deviceIds],
  )
  return r.rows.map((x) => ({ id: x.id, quartiereId: x.quartiere_id, areaStatisticaId: x.area_statistica_id }))
}

export interface CongestionThresholds {
  occupancyPctAtLeast: number
  speedKmhAtMost: number
}

export interface TrafficGroupPeriod {
  group: string
  /** Loops with at least one hour of data in the period. */
  loops: number
  /** Loop-hours with data. */
  loopHours: number
  /** Mean of the loops' hourly mean flows (veh/h through one loop). */
  flowVehH: number | null
  /** Mean of the hourly mean speeds of the loops that measure speed. */
  speedKmh: number | null
  /**
   * Share of the loop-hours with an occupancy whose hourly means meet the congestion test:
   * occupancy ≥ X % and speed ≤ Y km/h or not measured (single loops), as the congestion rule tests a reading.
   */
  congestedShare: number | null
}

/**
 * Per group, over the whole of [fromMs, toMs): the traffic loops' hourly means combined — flows and
 * speeds averaged over loop-hours, the congested share of loop-hours. Summed in device and hour order,
 * so that the same data always gives the same last digit.
 */
export async function trafficPeriodByGroup(
  q: Queryable,
  members: readonly GroupMember[],
  fromMs: number,
  toMs: number,
  nowMs: number,
  congestion: CongestionThresholds,
  opts: HourlyReadOptions = {},
): Promise<TrafficGroupPeriod[]> {
  if (members.length === 0 || toMs <= fromMs) return []
  const t = READING_TABLES.traffic
  const plan = await planHourly(q, t, fromMs, toMs, nowMs, opts)
  const p = new Params()
  const groups = `unnest(${p.add(members.map((m) => m.deviceId))}::text[], ${p.add(members.map((m) => m.group))}::text[]) AS m(device_id, grp)`
  const ids = p.add([...new Set(members.map((m) => m.deviceId))])
  const dh = deviceHours(t, plan, p, `device_id = ANY(${ids}::text[]) AND stream = 'traffic'`)
  const occ = p.add(congestion.occupancyPctAtLeast)
  const speed = p.add(congestion.speedKmhAtMost)
  const order = 'ORDER BY dh.device_id, dh.bucket'
  const r = await q.query<{ grp: string; loops: number; hours: number; flow: number | null; speed: number | null; occ_hours: number; congested: number }>(
    `WITH dh AS (${dh})
     SELECT m.grp, count(DISTINCT dh.device_id)::int AS loops, count(*)::int AS hours,
       avg(dh.flow_veh_h ${order})::float8 AS flow, avg(dh.speed_kmh ${order})::float8 AS speed,
       count(dh.occupancy_pct)::int AS occ_hours,
       (count(*) FILTER (WHERE dh.occupancy_pct >= ${occ}::float8 AND (dh.speed_kmh IS NULL OR dh.speed_kmh <= ${speed}::float8)))::int AS congested
     FROM dh JOIN ${groups} ON m.device_id = dh.device_id
     GROUP BY 1 ORDER BY 1`,
    p.values,
  )
  return r.rows.map((x) => ({
    group: x.grp,
    loops: Number(x.loops),
    loopHours: Number(x.hours),
    flowVehH: x.flow === null ? null : Number(x.flow),
    speedKmh: x.speed === null ? null : Number(x.speed),
    congestedShare: Number(x.occ_hours) === 0 ? null : Number(x.congested) / Number(x.occ_hours),
  }))
}
