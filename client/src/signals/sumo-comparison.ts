/**
 * What a finished SUMO run is read as (contracts/signal-api.ts SumoRunResults): per approach the
 * estimate beside the simulation with the difference — flow counted by the loops against flow
 * simulated, the HCM estimate's delay and back of queue (computed by the server on the simulated
 * flows) against SUMO's delay and longest queue, and SUMO's stops, which have no estimate; per
 * detector and per loop the counted against the simulated flow with GEH. Only an abnormal fit is
 * coloured (ISA-101): GEH ≥ 5, the usual limit of a calibrated model.
 */
import type { SumoRunResults } from '../../../contracts/signal-api'

/** GEH below this is a good fit of a count (the usual calibration limit). */
export const GEH_LIMIT = 5

/** 'fit' GEH < 5 (shown plain), 'poor' GEH ≥ 5 (the only one coloured), 'none' nothing counted. */
export type GehLevel = 'fit' | 'poor' | 'none'

export function gehLevel(geh: number | null): GehLevel {
  if (geh === null || !Number.isFinite(geh)) return 'none'
  return geh >= GEH_LIMIT ? 'poor' : 'fit'
}

export interface GehFit {
  /** Items with a count (a GEH). */
  counted: number
  /** Of those, with GEH < 5. */
  fit: number
  /** fit / counted; null when nothing was counted. */
  share: number | null
}

/** The share of counted items with GEH < 5 (the "fit" figure). */
export function gehFit(items: ReadonlyArray<{ geh: number | null }>): GehFit {
  const levels = items.map((i) => gehLevel(i.geh)).filter((l) => l !== 'none')
  const fit = levels.filter((l) => l === 'fit').length
  return { counted: levels.length, fit, share: levels.length === 0 ? null : fit / levels.length }
}

/** One metric, the estimate's side and SUMO's; delta = simulated − estimate (null when either is missing). */
export interface Comparison {
  estimate: number | null
  simulated: number | null
  delta: number | null
}

export function compare(estimate: number | null | undefined, simulated: number | null | undefined): Comparison {
  const e = estimate ?? null
  const s = simulated ?? null
  return { estimate: e, simulated: s, delta: e === null || s === null ? null : s - e }
}

export interface ApproachRow {
  edgeId: string
  groupIds: string[]
  vehicles: number
  /** The loops' count (what the estimate's demand stands for) against SUMO's flow through the stop lines, veh/h. */
  flowVehH: Comparison
  /** HCM control delay (flow-weighted over the approach's groups) against SUMO's time loss per vehicle, s. */
  delayS: Comparison
  /** HCM back of queue per lane (largest of the groups) against SUMO's longest queue on one lane, vehicles. */
  queueVeh: Comparison
  /** SUMO halts per vehicle; the estimate has none. */
  stopsPerVehicle: Comparison
  travelTimeS: number | null
}

export function approachRows(results: SumoRunResults): ApproachRow[] {
  return results.approaches.map((a) => ({
    edgeId: a.edgeId,
    groupIds: a.groupIds,
    vehicles: a.vehicles,
    flowVehH: compare(a.countedVehH, a.flowVehH),
    delayS: compare(a.estimate?.delayS, a.delayS),
    queueVeh: compare(a.estimate?.queueVehPerLane, a.queueMaxVeh),
    stopsPerVehicle: compare(null, a.stopsPerVehicle),
    travelTimeS: a.travelTimeS,
  }))
}

export interface CountRow {
  /** Detector id, or the loop's device id. */
  id: string
  /** The detector's lane, or the loop's detectors. */
  where: string
  deviceId: string | null
  countedVehH: number | null
  simulatedVehH: number
  geh: number | null
  level: GehLevel
}

export interface CountTables {
  detectors: CountRow[]
  loops: CountRow[]
  detectorFit: GehFit
  loopFit: GehFit
}

/** Per detector and per loop: counted, simulated, GEH and its level; the poor fits first, then by id. */
export function countTables(results: SumoRunResults): CountTables {
  const order = (a: CountRow, b: CountRow) => rank(a.level) - rank(b.level) || a.id.localeCompare(b.id, undefined, { numeric: true })
  const detectors = results.detectors
    .map((d): CountRow => ({ id: d.detectorId, where: d.laneId, deviceId: d.deviceId, countedVehH: d.countedVehH, simulatedVehH: d.simulatedVehH, geh: d.geh, level: gehLevel(d.geh) }))
    .sort(order)
  const loops = results.loops
    .map((l): CountRow => ({ id: l.deviceId, where: l.detectorIds.join(', '), deviceId: l.deviceId, countedVehH: l.countedVehH, simulatedVehH: l.simulatedVehH, geh: l.geh, level: gehLevel(l.geh) }))
    .sort(order)
  return { detectors, loops, detectorFit: gehFit(results.detectors), loopFit: gehFit(results.loops) }
}

const RANK: Record<GehLevel, number> = { poor: 0, fit: 1, none: 2 }
const rank = (l: GehLevel) => RANK[l]
