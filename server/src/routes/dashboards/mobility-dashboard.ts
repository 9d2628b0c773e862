/**
 * The mobility dashboard (contracts/dashboard-api.ts): traffic loops and bicycle counters per district,
 * for the whole city and per corridor — now, from each device's latest reading with the live map's
 * staleness rule, and per hour from the rollups (server/src/db/dashboards.ts).
 */
import { CONGESTION_DEFAULTS, type CorridorMobility, type DistrictMobility, type DistrictRef, type MobilityDashboard, type TrafficHour, type TrafficNow } from '../../../../contracts/dashboard-api'
import { liveQuality, streamIntervalS, type LiveQuality } from '../../../../contracts/schemas/live-state'
import type { AlarmRule } from '../../../../contracts/alarm-rules'
import type { Queryable } from '../../db/adapter'
import { loadRules } from '../../db/alarms'
import {
  bikeHoursByGroup,
  devicesWithLatest,
  listDistricts,
  openCorridorAlarms,
  trafficHoursByGroup,
  type BikeGroupHour,
  type DashboardDevice,
  type GroupMember,
  type HourlyReadOptions,
  type TrafficGroupHour,
} from '../../db/dashboards'

const HOUR_MS = 3_600_000
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length)

type CongestionRule = Extract<AlarmRule, { type: 'congestion' }> & { corridor: NonNullable<Extract<AlarmRule, { type: 'congestion' }>['corridor']> }
interface Thresholds {
  occupancyPctAtLeast: number
  speedKmhAtMost: number
}

/** One device's latest reading of a stream, judged now: its live quality, and whether it counts as reporting. */
interface DeviceNow {
  device: DashboardDevice
  values: Record<string, unknown> | null
  observedAtMs: number | null
  quality: LiveQuality | null
  /** Current (not stale) and not reported bad. */
  reporting: boolean
}

function deviceNow(device: DashboardDevice, stream: string, nowMs: number): DeviceNow {
  const latest = device.latest.find((l) => l.stream === stream)
  if (!latest) return { device, values: null, observedAtMs: null, quality: null, reporting: false }
  const reported = latest.quality === 'clock_skew_future' ? 'uncertain' : latest.quality
  const quality = liveQuality(reported, latest.observedAtMs, streamIntervalS(device.kind, stream, device.expectedIntervalS), nowMs)
  return { device, values: latest.values, observedAtMs: latest.observedAtMs, quality, reporting: quality === 'good' || quality === 'uncertain' }
}

/** Occupancy ≥ X % and speed ≤ Y km/h or not measured (the congestion rule's test); null when it does not report. */
function isCongested(l: DeviceNow, t: Thresholds): boolean | null {
  if (!l.reporting || !l.values) return null
  const occ = num(l.values.occupancyPct)
  const speed = num(l.values.speedKmh)
  if (occ === null) return null
  return occ >= t.occupancyPctAtLeast && (speed === null || speed <= t.speedKmhAtMost)
}

const newest = (xs: DeviceNow[]) => xs.reduce<number | null>((m, x) => (x.observedAtMs !== null && (m === null || x.observedAtMs > m) ? x.observedAtMs : m), null)

function trafficNow(loops: DeviceNow[], t: Thresholds, nowMs: number): TrafficNow {
  const on = loops.filter((l) => l.reporting && l.values)
  const occ = on.map((l) => num(l.values!.occupancyPct)).filter((v): v is number => v !== null)
  const speed = on.map((l) => num(l.values!.speedKmh)).filter((v): v is number => v !== null)
  const flow = on.map((l) => num(l.values!.flowVehH)).filter((v): v is number => v !== null)
  const congested = on.filter((l) => isCongested(l, t) === true).length
  const observedAtMs = newest(loops)
  return {
    loops: loops.length,
    reporting: on.length,
    occupancyPct: mean(occ),
    speedKmh: mean(speed),
    speedLoops: speed.length,
    flowVehH: on.length === 0 ? null : flow.reduce((a, b) => a + b, 0),
    congested,
    congestedShare: on.length === 0 ? null : congested / on.length,
    observedAtMs,
    dataAgeMs: observedAtMs === null ? null : nowMs - observedAtMs,
  }
}

function bikesNow(counters: DeviceNow[], nowMs: number): DistrictMobility['bikes']['now'] {
  const on = counters.filter((c) => c.reporting && c.values && num(c.values.bikes) !== null && (num(c.values.intervalS) ?? 0) > 0)
  const observedAtMs = newest(counters)
  return {
    counters: counters.length,
    reporting: on.length,
    bikesPerHour: on.length === 0 ? null : on.reduce((a, c) => a + (num(c.values!.bikes)! * 3600) / num(c.values!.intervalS)!, 0),
    observedAtMs,
    dataAgeMs: observedAtMs === null ? null : nowMs - observedAtMs,
  }
}

/** One point per hour of the window, in order; hours without data have loops 0 and null figures. */
function trafficSeries(rows: TrafficGroupHour[] | undefined, hours: number[]): TrafficHour[] {
  const at = new Map((rows ?? []).map((r) => [r.tMs, r]))
  return hours.map((tMs) => {
    const r = at.get(tMs)
    return r ? { tMs, loops: r.loops, flowVehH: r.flowVehH, occupancyPct: r.occupancyPct, speedKmh: r.speedKmh, readings: r.readings } : { tMs, loops: 0, flowVehH: null, occupancyPct: null, speedKmh: null, readings: 0 }
  })
}

function bikeSeries(rows: BikeGroupHour[] | undefined, hours: number[]): DistrictMobility['bikes']['hourly'] {
  const at = new Map((rows ?? []).map((r) => [r.tMs, r]))
  return hours.map((tMs) => {
    const r = at.get(tMs)
    return r ? { tMs, counters: r.counters, bikes: Math.round(r.bikes) } : { tMs, counters: 0, bikes: null }
  })
}

function byGroup<T extends { group: string }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const r of rows) {
    const list = m.get(r.group)
    if (list) list.push(r)
    else m.set(r.group, [r])
  }
  return m
}

const OUTSIDE = 'outside'
const CITY = 'city'
const districtKey = (d: { id: string } | null) => (d === null ? OUTSIDE : `district:${d.id}`)
const corridorKey = (ruleId: string) => `corridor:${ruleId}`

function corridorRules(rules: readonly AlarmRule[]): CongestionRule[] {
  return rules.filter((r): r is CongestionRule => r.type === 'congestion' && r.enabled && r.corridor !== undefined).sort((a, b) => a.name.localeCompare(b.name, 'it'))
}

export async function readMobilityDashboard(db: Queryable, hours: number, nowMs: number, opts: HourlyReadOptions = {}): Promise<MobilityDashboard> {
  // The hour in progress is the last point; a window ending exactly on the hour ends with a whole hour.
  const partialFromMs = Math.floor((nowMs - 1) / HOUR_MS) * HOUR_MS
  const fromMs = partialFromMs - (hours - 1) * HOUR_MS
  const hourStarts = Array.from({ length: hours }, (_, i) => fromMs + i * HOUR_MS)

  const [districts, devices, rules] = await Promise.all([listDistricts(db), devicesWithLatest(db, ['traffic-loop', 'bike-counter']), loadRules(db)])
  const corridors = corridorRules(rules.map((r) => r.rule))
  const alarms = await openCorridorAlarms(db, corridors.map((c) => c.id))

  const loops = devices.filter((d) => d.kind === 'traffic-loop').map((d) => deviceNow(d, 'traffic', nowMs))
  const counters = devices.filter((d) => d.kind === 'bike-counter').map((d) => deviceNow(d, 'bikes', nowMs))
  const loopMembers: GroupMember[] = loops.flatMap((l) => [
    { deviceId: l.device.id, group: districtKey(l.device.district) },
    { deviceId: l.device.id, group: CITY },
  ])
  for (const c of corridors) for (const id of c.corridor.deviceIds) loopMembers.push({ deviceId: id, group: corridorKey(c.id) })
  const counterMembers: GroupMember[] = counters.flatMap((c) => [
    { deviceId: c.device.id, group: districtKey(c.device.district) },
    { deviceId: c.device.id, group: CITY },
  ])
  const [trafficRows, bikeRows] = await Promise.all([
    trafficHoursByGroup(db, loopMembers, fromMs, nowMs, nowMs, opts).then(byGroup),
    bikeHoursByGroup(db, counterMembers, fromMs, nowMs, nowMs, opts).then(byGroup),
  ])

  const group = (district: DistrictRef | null, key: string, l: DeviceNow[], c: DeviceNow[]): DistrictMobility => {
    const bikes = bikeSeries(bikeRows.get(key), hourStarts)
    return {
      district,
      traffic: { now: trafficNow(l, CONGESTION_DEFAULTS, nowMs), hourly: trafficSeries(trafficRows.get(key), hourStarts) },
      bikes: { now: bikesNow(c, nowMs), hourly: bikes, total: bikes.reduce((a, b) => a + (b.bikes ?? 0), 0) },
    }
  }
  const inDistrict = (xs: DeviceNow[], key: string) => xs.filter((x) => districtKey(x.device.district) === key)
  const rows = districts.map((d) => group(d, districtKey(d), inDistrict(loops, districtKey(d)), inDistrict(counters, districtKey(d))))
  const outsideLoops = inDistrict(loops, OUTSIDE)
  const outsideCounters = inDistrict(counters, OUTSIDE)
  if (outsideLoops.length + outsideCounters.length > 0) rows.push(group(null, OUTSIDE, outsideLoops, outsideCounters))

  const loopById = new Map(loops.map((l) => [l.device.id, l]))
  const corridorRows: CorridorMobility[] = corridors.map((c) => {
    const members = c.corridor.deviceIds.map((id) => loopById.get(id) ?? null)
    const known = members.filter((m): m is DeviceNow => m !== null)
    const now = trafficNow(known, c, nowMs)
    return {
      ruleId: c.id,
      name: c.name,
      occupancyPctAtLeast: c.occupancyPctAtLeast,
      speedKmhAtMost: c.speedKmhAtMost,
      minLoops: c.corridor.minLoops,
      congested: now.congested >= c.corridor.minLoops,
      alarm: alarms.get(c.id) ?? null,
      now: { ...now, loops: c.corridor.deviceIds.length },
      hourly: trafficSeries(trafficRows.get(corridorKey(c.id)), hourStarts),
      loops: c.corridor.deviceIds.map((id, i) => {
        const l = members[i]
        if (!l) return { deviceId: id, name: null, district: null, observedAtMs: null, dataAgeMs: null, quality: null, reporting: false, flowVehH: null, occupancyPct: null, speedKmh: null, congested: null }
        const v = l.reporting ? l.values : null
        return {
          deviceId: id,
          name: l.device.name,
          district: l.device.district?.name ?? null,
          observedAtMs: l.observedAtMs,
          dataAgeMs: l.observedAtMs === null ? null : nowMs - l.observedAtMs,
          quality: l.quality,
          reporting: l.reporting,
          flowVehH: v ? num(v.flowVehH) : null,
          occupancyPct: v ? num(v.occupancyPct) : null,
          speedKmh: v ? num(v.speedKmh) : null,
          congested: isCongested(l, c),
        }
      }),
    }
  })

  return {
    serverTimeMs: nowMs,
    window: { fromMs, toMs: nowMs, hours, partialFromMs },
    congestion: { ...CONGESTION_DEFAULTS },
    districts: rows,
    city: group(null, CITY, loops, counters),
    corridors: corridorRows,
  }
}
