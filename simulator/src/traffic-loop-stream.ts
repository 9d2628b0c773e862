/**
 * Traffic loops replay the real hourly counts: their own when the counts file has them, otherwise
 * the nearest counted loop's, scaled by a fixed per-device factor in 0.6–1.4.
 */
import type { LonLat } from '../../contracts/schemas/device'
import { countsForSourceDay, type LoopCounts, type LoopSeries } from './loop-counts'
import { ROAD_TRAFFIC_PROFILE } from './daily-profiles'
import { rngFor, unitHash } from './prng'
import { bolognaLocal, MINUTE_MS, simDayType, trafficSourceDay, type DayType } from './source-calendar'
import { propText, seqOf, type SimDevice, type StreamSource } from './stream-source'
import { expectedMinuteCount, lanesFor, round, trafficMinute } from './traffic-model'

export type TrafficSourceMode = 'own' | 'borrowed' | 'synthetic'

/** Where a loop's readings come from; reported by `stats().trafficSources` so the UI can say so. */
export interface TrafficSourceInfo {
  mode: TrafficSourceMode
  /** The device's own `id_uni`, when known. */
  idUni: string | null
  /** The loop whose counts are replayed (own or borrowed); null when synthetic. */
  fromIdUni: string | null
  /** Factor applied to the replayed counts (1 for own data). */
  scale: number
  /** Distance to the borrowed loop, metres. */
  distanceM: number | null
  /** Lanes assumed for speed and occupancy (from the busiest hour, see lanesFor). */
  lanes: number
}

export interface TrafficAssignment {
  info: TrafficSourceInfo
  series: LoopSeries | null
}

export function loopIdUni(device: SimDevice): string | null {
  const fromProps = propText(device.props, 'idUni', 'id_uni')
  if (fromProps) return fromProps
  const m = /^loop-(\d+)$/.exec(device.id)
  return m?.[1] ?? null
}

/** Equirectangular distance in metres: exact enough within a city. */
export function distanceM(a: LonLat, b: LonLat): number {
  const R = 6_371_008.8
  const rad = Math.PI / 180
  const x = (b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad)
  const y = (b[1] - a[1]) * rad
  return Math.hypot(x, y) * R
}

/** Decides, for every traffic loop, whose counts it replays. Deterministic for a seed. */
export function assignTrafficSources(devices: readonly SimDevice[], counts: LoopCounts | null, seed: number): Map<string, TrafficAssignment> {
  const out = new Map<string, TrafficAssignment>()
  const counted = counts ? [...counts.byIdUni.values()].filter((s) => s.position !== null && s.sortedDays.length > 0) : []
  counted.sort((a, b) => compareIds(a.idUni, b.idUni))
  for (const device of devices) {
    if (device.kind !== 'traffic-loop') continue
    const idUni = loopIdUni(device)
    // id_uni is the key: the counts reader keeps one codice spira per id_uni, as the registry does.
    const own = idUni ? counts?.byIdUni.get(idUni) : undefined
    if (own && own.sortedDays.length > 0) {
      out.set(device.id, { series: own, info: { mode: 'own', idUni, fromIdUni: own.idUni, scale: 1, distanceM: 0, lanes: lanesFor(own.peakHourly) } })
      continue
    }
    let best: LoopSeries | null = null
    let bestD = Number.POSITIVE_INFINITY
    for (const s of counted) {
      const d = distanceM(device.position, s.position as LonLat)
      if (d < bestD) {
        best = s
        bestD = d
      }
    }
    if (best) {
      const scale = round(0.6 + 0.8 * unitHash(seed, 'loop-scale', device.id), 3)
      out.set(device.id, {
        series: best,
        info: { mode: 'borrowed', idUni, fromIdUni: best.idUni, scale, distanceM: Math.round(bestD), lanes: lanesFor(best.peakHourly * scale) },
      })
    } else {
      const daily = syntheticDailyVehicles(device.id, seed)
      out.set(device.id, {
        series: null,
        info: { mode: 'synthetic', idUni, fromIdUni: null, scale: 1, distanceM: null, lanes: lanesFor(daily * Math.max(...ROAD_TRAFFIC_PROFILE.weekday)) },
      })
    }
  }
  return out
}

function compareIds(a: string, b: string): number {
  const na = Number(a)
  const nb = Number(b)
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a < b ? -1 : a > b ? 1 : 0
}

/** Without the counts file: a daily volume of 2,000–20,000 vehicles on the measured average profile. */
function syntheticDailyVehicles(deviceId: string, seed: number): number {
  return 2000 + 18_000 * unitHash(seed, 'loop-volume', deviceId)
}

/**
 * The `traffic` stream of one loop. The reading observed at minute boundary t counts the minute
 * [t − 60 s, t) in Bologna civil time, replayed from source day `trafficSourceDay(day)`.
 */
export function trafficLoopStream(device: SimDevice, assignment: TrafficAssignment, seed: number): StreamSource {
  const { series, info } = assignment
  const memo = new Map<number, Float64Array>()
  const syntheticRows = new Map<DayType, Float64Array>()
  const synthetic = series ? 0 : syntheticDailyVehicles(device.id, seed)
  const hourlyFor = (simDay: number): ArrayLike<number> => {
    if (series) return countsForSourceDay(series, trafficSourceDay(simDay), memo)
    const type = simDayType(simDay)
    let row = syntheticRows.get(type)
    if (!row) {
      row = Float64Array.from(ROAD_TRAFFIC_PROFILE[type], (share) => share * synthetic)
      syntheticRows.set(type, row)
    }
    return row
  }
  const intervalMs = MINUTE_MS
  return {
    deviceId: device.id,
    kind: 'traffic-loop',
    stream: 'traffic',
    intervalMs,
    offsetMs: 0,
    valuesAt(observedAtMs) {
      const local = bolognaLocal(observedAtMs - intervalMs)
      const today = hourlyFor(local.day)
      const h = local.hour
      const cur = today[h] ?? 0
      const prev = h > 0 ? (today[h - 1] ?? 0) : (hourlyFor(local.day - 1)[23] ?? 0)
      const next = h < 23 ? (today[h + 1] ?? 0) : (hourlyFor(local.day + 1)[0] ?? 0)
      const expected = expectedMinuteCount(prev, cur, next, local.minute) * info.scale
      return trafficMinute(expected, info.lanes, rngFor(seed, device.id, 'traffic', seqOf(observedAtMs, intervalMs)))
    },
  }
}
