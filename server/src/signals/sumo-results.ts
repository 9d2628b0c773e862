/**
 * What a SUMO verification run gives back (docs/signals.md, "Verification in SUMO"): SUMO's output
 * files read, and the results per approach, per detector and per loop computed from them. Pure
 * apart from reading the files.
 *
 * Per approach (the approach edge of the controller's vehicle groups — cyclist and tram groups
 * count, pedestrian crossings do not), over the measured interval:
 *  - vehicles: what crossed its stop lines on the controller's links (an e1 at the start of each
 *    link's internal lane; the group's flow is the sum over its links);
 *  - travel time: edgeData `traveltime` of the approach edge;
 *  - delay: the edge's summed edgeData `timeLoss` divided by the vehicles that left it;
 *  - stops per vehicle: halts started on the approach lanes (e2 over each whole lane, `startedHalts`)
 *    divided by the vehicles that left the edge — a vehicle stopping twice in a queue counts twice;
 *  - max queue: the longest queue of any one lane (e2 `maxJamLengthInVehicles`), per lane like the
 *    estimate's back of queue;
 *  - the estimate: the workbench's own evaluation (contracts/signal-evaluation, HCM) of the same
 *    plan with the simulated flow of each group, so estimate and simulation see the same demand.
 * Per detector: the loop's count at that hour spread evenly over the lanes of its detectors
 * (signal-demand's rule) against the detector's e1 count, both per hour; GEH per detector and per
 * loop (the loop's count against the sum of its detectors).
 */
import { sumoXmlParser } from '../../../geodata/src/sumo/sumo-xml'
import { readFileSync } from 'node:fs'
import type { SumoRunResults } from '../../../contracts/signal-api'
import type { SignalController, SignalPlan } from '../../../contracts/schemas/signal-plan'
import { evaluate } from '../../../contracts/signal-evaluation/evaluation'
import type { DetectorResultRow, EdgeResultRow } from '../db/sumo-runs'
import { junctionOfInternalLane, movementDetectorId, queueDetectorId } from './sumo-scenario'

const parser = sumoXmlParser(['interval', 'edge', 'collision', 'tlLogic'])
type El = Record<string, unknown>
const list = (v: unknown): El[] => (Array.isArray(v) ? (v as El[]) : v && typeof v === 'object' ? [v as El] : [])
const num = (v: unknown): number => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : 0)
const numOrNull = (v: unknown): number | null => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null)
const EPS = 1e-6

function read(file: string): El {
  return parser.parse(readFileSync(file, 'utf8')) as El
}

/** Detector intervals ([begin, end) and attributes) by detector id. */
export function detectorIntervals(file: string): Map<string, El[]> {
  const out = new Map<string, El[]>()
  for (const iv of list((read(file).detector as El | undefined)?.interval)) {
    const id = String(iv.id)
    ;(out.get(id) ?? out.set(id, []).get(id)!).push(iv)
  }
  return out
}

/** Sum of an attribute over the intervals inside [beginS, endS). */
export function sumIn(intervals: El[] | undefined, attr: string, beginS: number, endS: number): number {
  let s = 0
  for (const iv of intervals ?? []) if (num(iv.begin) >= beginS - EPS && num(iv.end) <= endS + EPS) s += num(iv[attr])
  return s
}
function maxIn(intervals: El[] | undefined, attr: string, beginS: number, endS: number): number | null {
  let m: number | null = null
  for (const iv of intervals ?? []) if (num(iv.begin) >= beginS - EPS && num(iv.end) <= endS + EPS) m = Math.max(m ?? 0, num(iv[attr]))
  return m
}

export interface EdgeStats {
  entered: number
  departed: number
  left: number
  /** Vehicles that passed or left it by teleporting (SUMO's remedy for a jam). */
  teleported: number
  traveltime: number | null
  /** Mean speed, m/s (null when nothing was on the edge). */
  speed: number | null
  timeLoss: number
  sampledSeconds: number
}

export function readEdgeData(file: string): Map<string, EdgeStats> {
  const out = new Map<string, EdgeStats>()
  for (const iv of list((read(file).meandata as El | undefined)?.interval)) {
    for (const e of list(iv.edge)) {
      out.set(String(e.id), { entered: num(e.entered), departed: num(e.departed), left: num(e.left), teleported: num(e.teleported), traveltime: numOrNull(e.traveltime), speed: numOrNull(e.speed), timeLoss: num(e.timeLoss), sampledSeconds: num(e.sampledSeconds) })
    }
  }
  return out
}

export interface RunStatistics {
  loaded: number
  inserted: number
  teleports: number
  collisions: number
  trips: number
  meanDurationS: number | null
  meanTimeLossS: number | null
}

export function readStatistics(file: string): RunStatistics {
  const s = (read(file).statistics ?? {}) as El
  const v = (s.vehicles ?? {}) as El
  const trips = (s.vehicleTripStatistics ?? {}) as El
  const count = num(trips.count)
  return {
    loaded: num(v.loaded),
    inserted: num(v.inserted),
    teleports: num((s.teleports as El | undefined)?.total),
    collisions: num((s.safety as El | undefined)?.collisions),
    trips: count,
    meanDurationS: count > 0 ? numOrNull(trips.duration) : null,
    meanTimeLossS: count > 0 ? numOrNull(trips.timeLoss) : null,
  }
}

export function readCollisions(file: string): Array<{ lane: string; time: number }> {
  return list((read(file).collisions as El | undefined)?.collision).map((c) => ({ lane: String(c.lane ?? ''), time: num(c.time) }))
}

/** The programs SUMO reported running for the traffic light (SaveTLSProgram: one per switch). */
export function readRunPrograms(file: string): string[] {
  return list((read(file).additional as El | undefined)?.tlLogic).map((t) => String(t.programID ?? ''))
}

/** GEH of a modelled flow against a counted one (veh/h). */
export const geh = (m: number, c: number) => (m + c <= 0 ? 0 : Math.sqrt((2 * (m - c) ** 2) / (m + c)))
const round = (x: number | null, d = 2) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d)

export interface NetworkDetector {
  detectorId: string
  laneId: string
  deviceId: string | null
}

export interface ResultInputs {
  networkId: string
  tlsId: string
  programId: string
  controller: SignalController
  plan: SignalPlan
  /** Measured interval. */
  beginS: number
  endS: number
  files: { e1: string | null; movements: string; queues: string; edges: string; statistics: string; collisions: string }
  /** The network's e1 detectors with their loops. */
  detectors: NetworkDetector[]
  /** Each loop's count at the hour (veh/h), for the loops that have one. */
  loopFlows: ReadonlyMap<string, number>
  /** Each group's counted flow (signal-demand, that day and hour), null when none. */
  groupCounted: ReadonlyMap<string, number | null>
  junctions: ReadonlySet<string>
  demand: SumoRunResults['demand']
  warnings: string[]
  wallTimeS: number
}

export function computeResults(i: ResultInputs): { results: SumoRunResults; edges: EdgeResultRow[]; detectorRows: DetectorResultRow[] } {
  const perHour = 3600 / (i.endS - i.beginS)
  const movements = detectorIntervals(i.files.movements)
  const queues = detectorIntervals(i.files.queues)
  const edgeData = readEdgeData(i.files.edges)
  const stats = readStatistics(i.files.statistics)
  const collisions = readCollisions(i.files.collisions)

  // Groups → approaches (vehicle, cyclist and tram groups with an approach edge).
  const groups = i.controller.signalGroups.filter((g) => g.type !== 'pedestrian' && g.approach)
  const groupFlow = new Map<string, number>()
  for (const g of groups) groupFlow.set(g.id, g.links.reduce((s, k) => s + sumIn(movements.get(movementDetectorId(k)), 'nVehContrib', i.beginS, i.endS), 0))
  const estimate = evaluate({
    controller: { id: i.controller.id, signalGroups: i.controller.signalGroups },
    plan: i.plan,
    demand: groups.filter((g) => (groupFlow.get(g.id) ?? 0) > 0).map((g) => ({ groupId: g.id, flowVehH: (groupFlow.get(g.id) ?? 0) * perHour })),
  })
  const metricsOf = new Map(estimate.groups.map((g) => [g.groupId, g.metrics]))
  const approaches = new Map<string, typeof groups>()
  for (const g of groups) (approaches.get(g.approach!) ?? approaches.set(g.approach!, []).get(g.approach!)!).push(g)

  const approachLanes = new Set<string>()
  const approachResults: SumoRunResults['approaches'] = []
  const approachEdges = new Map<string, EdgeResultRow>()
  for (const [edgeId, gs] of approaches) {
    const lanes = [...new Set(gs.flatMap((g) => g.lanes))].sort()
    for (const l of lanes) approachLanes.add(l)
    const e = edgeData.get(edgeId)
    const vehicles = gs.reduce((s, g) => s + (groupFlow.get(g.id) ?? 0), 0)
    const left = e?.left ?? 0
    const halts = lanes.reduce((s, l) => s + sumIn(queues.get(queueDetectorId(l)), 'startedHalts', i.beginS, i.endS), 0)
    const queueMax = lanes.reduce<number | null>((m, l) => {
      const x = maxIn(queues.get(queueDetectorId(l)), 'maxJamLengthInVehicles', i.beginS, i.endS)
      return x === null ? m : Math.max(m ?? 0, x)
    }, null)
    const counted = gs.map((g) => i.groupCounted.get(g.id) ?? null)
    let flowSum = 0
    let delaySum = 0
    let queue: number | null = null
    for (const g of gs) {
      const m = metricsOf.get(g.id)
      if (!m) continue
      flowSum += m.flowVehH
      delaySum += m.flowVehH * m.controlDelayS
      queue = Math.max(queue ?? 0, m.queue.backOfQueueVehPerLane)
    }
    approachResults.push({
      groupIds: gs.map((g) => g.id),
      edgeId,
      vehicles: Math.round(vehicles),
      flowVehH: round(vehicles * perHour, 1)!,
      countedVehH: counted.every((c) => c === null) ? null : round(counted.reduce<number>((s, c) => s + (c ?? 0), 0), 1),
      travelTimeS: left > 0 ? round(e?.traveltime ?? null) : null,
      delayS: left > 0 ? round(e!.timeLoss / left) : null,
      stopsPerVehicle: left > 0 ? round(halts / left, 3) : null,
      queueMaxVeh: queueMax,
      estimate: flowSum > 0 ? { delayS: round(delaySum / flowSum), queueVehPerLane: round(queue) } : null,
      groups: gs.map((g) => {
        const m = metricsOf.get(g.id)
        return {
          groupId: g.id,
          simulatedVehH: round((groupFlow.get(g.id) ?? 0) * perHour, 1)!,
          countedVehH: round(i.groupCounted.get(g.id) ?? null, 1),
          estimateDelayS: m ? round(m.controlDelayS) : null,
          estimateQueueVehPerLane: m ? round(m.queue.backOfQueueVehPerLane) : null,
        }
      }),
    })
    approachEdges.set(edgeId, { edgeId, approach: true, vehicles: Math.round(left), travelTimeS: left > 0 ? round(e?.traveltime ?? null) : null, delayS: left > 0 ? round(e!.timeLoss / left) : null, stops: Math.round(halts), queueMax })
  }

  // Every edge with traffic, the approaches as measured above.
  const edges: EdgeResultRow[] = [...approachEdges.values()]
  for (const [edgeId, e] of [...edgeData].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (approachEdges.has(edgeId) || (e.left === 0 && e.entered === 0 && e.sampledSeconds === 0)) continue
    edges.push({ edgeId, approach: false, vehicles: Math.round(e.left), travelTimeS: e.left > 0 ? round(e.traveltime) : null, delayS: e.left > 0 ? round(e.timeLoss / e.left) : null, stops: null, queueMax: null })
  }

  // Detectors and loops.
  const e1 = i.files.e1 ? detectorIntervals(i.files.e1) : new Map<string, El[]>()
  const lanesOfDevice = new Map<string, Set<string>>()
  for (const d of i.detectors) if (d.deviceId) (lanesOfDevice.get(d.deviceId) ?? lanesOfDevice.set(d.deviceId, new Set()).get(d.deviceId)!).add(d.laneId)
  const detectors: SumoRunResults['detectors'] = []
  const detectorRows: DetectorResultRow[] = []
  const loops = new Map<string, { detectorIds: string[]; simulated: number }>()
  for (const d of i.detectors) {
    if (!e1.has(d.detectorId)) continue // not in the scenario's detector file (commented out there)
    const simulated = sumIn(e1.get(d.detectorId), 'nVehContrib', i.beginS, i.endS) * perHour
    const loopFlow = d.deviceId ? i.loopFlows.get(d.deviceId) : undefined
    const counted = loopFlow === undefined ? null : loopFlow / (lanesOfDevice.get(d.deviceId!)?.size ?? 1)
    const g = counted === null ? null : geh(simulated, counted)
    detectors.push({ detectorId: d.detectorId, laneId: d.laneId, deviceId: d.deviceId, countedVehH: round(counted, 1), simulatedVehH: round(simulated, 1)!, geh: round(g) })
    detectorRows.push({ detectorId: d.detectorId, deviceId: d.deviceId, counted: round(counted, 1), simulated: round(simulated, 1)!, geh: round(g) })
    if (d.deviceId) {
      const l = loops.get(d.deviceId) ?? loops.set(d.deviceId, { detectorIds: [], simulated: 0 }).get(d.deviceId)!
      l.detectorIds.push(d.detectorId)
      l.simulated += simulated
    }
  }
  const loopResults: SumoRunResults['loops'] = [...loops].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([deviceId, l]) => {
    const c = i.loopFlows.get(deviceId)
    return { deviceId, detectorIds: l.detectorIds, countedVehH: round(c ?? null, 1), simulatedVehH: round(l.simulated, 1)!, geh: c === undefined ? null : round(geh(l.simulated, c)) }
  })
  const share = (xs: Array<number | null>) => {
    const counted = xs.filter((x): x is number => x !== null)
    return counted.length === 0 ? null : round(counted.filter((x) => x < 5).length / counted.length, 4)
  }

  const atController = (lane: string) => (lane.startsWith(':') && i.junctions.has(junctionOfInternalLane(lane))) || approachLanes.has(lane)
  const results: SumoRunResults = {
    networkId: i.networkId,
    tlsId: i.tlsId,
    programId: i.programId,
    demand: i.demand.kind === 'scenario' ? { ...i.demand, vehicles: stats.loaded } : i.demand,
    approaches: approachResults,
    detectors,
    gehBelow5Share: share(detectors.map((d) => d.geh)),
    loops: loopResults,
    loopGehBelow5Share: share(loopResults.map((l) => l.geh)),
    vehiclesInserted: stats.inserted,
    collisions: Math.max(stats.collisions, collisions.length),
    collisionsAtController: collisions.filter((c) => atController(c.lane)).length,
    teleports: stats.teleports,
    network: { tripsCompleted: stats.trips, meanTravelTimeS: round(stats.meanDurationS), meanTimeLossS: round(stats.meanTimeLossS) },
    warnings: i.warnings,
    wallTimeS: round(i.wallTimeS, 3)!,
  }
  return { results, edges, detectorRows }
}
