/**
 * SUMO verification runs of signal plans as a background job of the server (docs/signals.md,
 * "Verification in SUMO"). The queue, the lease, progress, cancel, the wall-time limit and the tools
 * are the shared SUMO job machinery (server/src/sumo/sumo-job-runner.ts); the runs are sumo_run's
 * (db/sumo-runs.ts).
 *
 * A run, in a temporary work directory (removed after):
 *  1. the controller, the plan version and the network's scenario files (sumo-scenario.ts);
 *  2. the plan as program GEMELLO_PROGRAM_ID of the controller's traffic light, loaded after the
 *     scenario's programs (SUMO runs the program loaded last; the other controllers keep theirs);
 *     the scenario's additional files with their outputs moved into the work directory (the e1
 *     loops write every 60 s); edgeData, e2 on the approach lanes, e1 per link, SaveTLSProgram;
 *  3. demand — loop-counts: each edge's count from the loops of that Rome day and hour (the lane
 *     rule of signal-demand.ts, scaled to the simulated time), less the scenario's scheduled buses
 *     passing it (they run as scheduled: route files of vehicles that all serve stops), and
 *     routeSampler with the scenario's other routes as candidates (fixed seed), vehicles typed as
 *     the scenario's vehicles on the same route, after a WARMUP_S warm-up; scenario: the scenario's
 *     own route files, from 0 s;
 *  4. `sumo` with step log every 100 steps: progress = simulated time / end; stderr warnings about
 *     traffic-light programs kept verbatim; errors fail the run with SUMO's words;
 *  5. the results (sumo-results.ts) and the program SUMO reports running checked to be the plan's.
 */
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { SumoRunResults } from '../../../contracts/signal-api'
import { groupDemand, loopFlowsAt } from '../db/signal-demand'
import { controllerDoc, getPlanVersion } from '../db/signals'
import { claimSumoRun, finishSumoRun, networkDetectors, type ClaimedRun, type DetectorResultRow, type EdgeResultRow } from '../db/sumo-runs'
import { DETECTOR_FREQ_S, SAMPLER_SEED, SumoJobRunner, WARMUP_S, type ActiveRun, type SumoJobRunnerOptions } from '../sumo/sumo-job-runner'
import { computeResults, readRunPrograms, type NetworkDetector } from './sumo-results'
import { GEMELLO_PROGRAM_ID, SumoRunError, controllerLinks, copyScenarioAdditionals, loadNet, measurementXml, planProgramXml, resolveScenario } from './sumo-scenario'

export { DETECTOR_FREQ_S, SAMPLER_SEED, WARMUP_S, type SumoRunnerStats } from '../sumo/sumo-job-runner'

export interface SumoRunnerOptions extends SumoJobRunnerOptions {
  /** How loop counts are read: 'auto' (rollups where they answer) or 'raw' (signal-demand.ts). */
  countSource?: 'auto' | 'raw'
}

interface SignalRunOutput {
  networkId: string
  results: SumoRunResults
  edges: EdgeResultRow[]
  detectors: DetectorResultRow[]
}

export class SumoRunner extends SumoJobRunner<ClaimedRun, SignalRunOutput> {
  protected readonly job = 'sumo-runs'
  protected readonly table = 'sumo_run'

  constructor(private readonly options: SumoRunnerOptions) {
    super(options)
  }

  protected claim(holder: string, ttlS: number, nowMs: number): Promise<ClaimedRun | null> {
    return claimSumoRun(this.o.db, holder, ttlS, nowMs)
  }

  protected finish(id: number, holder: string, out: SignalRunOutput, nowMs: number): Promise<boolean> {
    return finishSumoRun(this.o.db, id, holder, out, nowMs)
  }

  protected describeRun(run: ClaimedRun): object {
    return { controller: run.controllerId, plan: `${run.planId}@v${run.version}` }
  }

  protected describeDone(out: SignalRunOutput): object {
    return { wallS: out.results.wallTimeS, geh5: out.results.gehBelow5Share }
  }

  /** Steps 1–5 of the header. Throws SumoRunError (the run's message) or what check() throws. */
  protected async simulate(a: ActiveRun<ClaimedRun>, work: string, t0: number): Promise<SignalRunOutput> {
    const { db } = this.o
    const { run } = a
    const req = run.request
    const c = await controllerDoc(db, run.controllerId).catch(() => {
      throw new SumoRunError(`signal controller ${run.controllerId} no longer exists`)
    })
    const version = await getPlanVersion(db, run.controllerId, run.planId, run.version)
    if (!version) throw new SumoRunError(`version ${run.version} of plan ${run.planId} no longer exists`)
    if (!c.networkId) throw new SumoRunError(`controller ${run.controllerId} has no SUMO network`)
    const networkId = c.networkId
    const scenario = await resolveScenario(db, this.o.cityDataDir, networkId)
    const net = loadNet(scenario.net)
    const { xml: programXml, tlsId } = planProgramXml(c.doc, version.plan)
    const links = controllerLinks(net, tlsId)
    if (links.via.size === 0) throw new SumoRunError(`the network ${path.basename(scenario.net)} has no traffic light ${tlsId} (no connection is controlled by it): the plan has nothing to run on`)
    this.check(a)

    const loopCounts = req.demand === 'loop-counts'
    const warmupS = loopCounts ? WARMUP_S : 0
    const beginS = warmupS
    const endS = warmupS + req.durationS
    a.endS = endS
    const f = (name: string) => path.join(work, name)

    // The network's detectors, their loops and the loop counts of that day and hour.
    const det = await networkDetectors(db, networkId)
    const detectors: NetworkDetector[] = det.map((d) => ({ detectorId: d.id, laneId: d.lane_id, deviceId: d.device_id }))
    const deviceIds = [...new Set(det.flatMap((d) => (d.device_id ? [d.device_id] : [])))]
    const date = req.date ?? null
    const opts = this.options.countSource ? { source: this.options.countSource } : {}
    const loopFlows = date === null ? new Map<string, number>() : await loopFlowsAt(db, deviceIds, date, req.hour, opts)
    const groupCounted = new Map<string, number | null>()
    if (date !== null) {
      const gd = await groupDemand(db, c.doc, networkId, { weeks: 1, untilDate: date, dayType: 'weekday', hour: req.hour, singleDay: true }, opts)
      for (const g of gd.demand) groupCounted.set(g.groupId, g.flowVehH)
    }
    this.check(a)

    // Additional files: vehicle types, programs, stops… with outputs moved here; then the plan, then the measurements.
    const { additional, e1File } = await copyScenarioAdditionals(scenario, work, DETECTOR_FREQ_S)
    await writeFile(f('gemello-program.add.xml'), programXml)
    additional.push(f('gemello-program.add.xml'))
    const approachLanes = [...new Set(c.doc.signalGroups.filter((g) => g.type !== 'pedestrian' && g.approach).flatMap((g) => g.lanes))].filter((l) => net.edges.some((e) => e.lanes.some((x) => x.id === l))).sort()
    const vehicleLinks = new Map([...links.via].filter(([k]) => c.doc.signalGroups.some((g) => g.type !== 'pedestrian' && g.links.includes(k))))
    const files = { edges: f('edges.xml'), queues: f('queues.xml'), movements: f('movements.xml'), program: f('program.xml') }
    await writeFile(f('gemello-measure.add.xml'), measurementXml({ beginS, endS, freqS: DETECTOR_FREQ_S, tlsId, approachLanes, movements: vehicleLinks, files }))
    additional.push(f('gemello-measure.add.xml'))

    // Demand.
    let routes: string[]
    let demand: SumoRunResults['demand']
    if (loopCounts) {
      if (date === null) throw new SumoRunError(`no loop linked to network ${networkId} has counts: there is no day to take the demand from (choose the scenario demand, or let the loops report first)`)
      if (loopFlows.size === 0) throw new SumoRunError(`none of the ${deviceIds.length} loops linked to network ${networkId} has counts on ${date} at ${String(req.hour).padStart(2, '0')}:00 (Europe/Rome): choose another day or hour, or the scenario demand`)
      const sampled = await this.loopCountDemand(a, work, { scenario, net, counts: edgeCounts(detectors, det, loopFlows, endS / 3600), endS })
      routes = sampled.routes
      demand = { kind: 'loop-counts', date, hour: req.hour, warmupS, measuredS: req.durationS, vehicles: sampled.vehicles, seed: SAMPLER_SEED, countedEdges: sampled.countedEdges, samplerGehBelow5Share: sampled.samplerGehBelow5Share }
    } else {
      routes = scenario.routes
      demand = { kind: 'scenario', date, hour: req.hour, warmupS, measuredS: req.durationS, vehicles: 0, seed: null, countedEdges: null, samplerGehBelow5Share: null }
    }
    this.check(a)

    // SUMO.
    const sumo = await this.sumo(a, work, { net: scenario.net, additional, routes, endS })
    const programs = existsSync(files.program) ? readRunPrograms(files.program) : []
    if (programs.length === 0 || programs.some((p) => p !== GEMELLO_PROGRAM_ID))
      throw new SumoRunError(`SUMO did not run the plan on traffic light ${tlsId}: it reported program(s) ${programs.join(', ') || 'none'} instead of ${GEMELLO_PROGRAM_ID}`)
    const { results, edges, detectorRows } = computeResults({
      networkId,
      tlsId,
      programId: GEMELLO_PROGRAM_ID,
      controller: c.doc,
      plan: version.plan,
      beginS,
      endS,
      files: { e1: e1File && existsSync(e1File) ? e1File : null, movements: files.movements, queues: files.queues, edges: files.edges, statistics: f('statistics.xml'), collisions: f('collisions.xml') },
      detectors,
      loopFlows,
      groupCounted,
      junctions: links.junctions,
      demand,
      warnings: sumo.warnings,
      wallTimeS: (performance.now() - t0) / 1000,
    })
    return { networkId, results, edges, detectors: detectorRows }
  }
}

/**
 * Vehicles per edge in [0, T) from the loop counts: a loop's hourly flow spread evenly over the
 * distinct lanes of its detectors; a lane with several loops takes their mean; an edge the sum of
 * its lanes (signal-demand.ts's rules), times T in hours.
 */
export function edgeCounts(detectors: readonly NetworkDetector[], rows: ReadonlyArray<{ id: string; edge_id: string }>, loopFlows: ReadonlyMap<string, number>, hours: number): Map<string, number> {
  const edgeOf = new Map(rows.map((r) => [r.id, r.edge_id]))
  const lanesOfDevice = new Map<string, Set<string>>()
  const devicesOfLane = new Map<string, Set<string>>()
  const edgeOfLane = new Map<string, string>()
  for (const d of detectors) {
    if (!d.deviceId) continue
    ;(lanesOfDevice.get(d.deviceId) ?? lanesOfDevice.set(d.deviceId, new Set()).get(d.deviceId)!).add(d.laneId)
    ;(devicesOfLane.get(d.laneId) ?? devicesOfLane.set(d.laneId, new Set()).get(d.laneId)!).add(d.deviceId)
    edgeOfLane.set(d.laneId, edgeOf.get(d.detectorId) ?? d.laneId.replace(/_\d+$/, ''))
  }
  const out = new Map<string, number>()
  for (const [lane, devices] of devicesOfLane) {
    const flows = [...devices].flatMap((id) => {
      const f = loopFlows.get(id)
      return f === undefined ? [] : [f / (lanesOfDevice.get(id)?.size ?? 1)]
    })
    if (flows.length === 0) continue
    const edge = edgeOfLane.get(lane)!
    out.set(edge, (out.get(edge) ?? 0) + (flows.reduce((s, x) => s + x, 0) / flows.length) * hours)
  }
  return out
}

