/**
 * The SUMO verification of scenario versions as a background job of the server (docs/scenarios.md,
 * "Verification in SUMO"). The queue, the lease, progress, cancel, the wall-time limit and the tools
 * are the SUMO job machinery the signal plans' verification uses too (server/src/sumo/
 * sumo-job-runner.ts); the runs are scenario_sumo_run's (db/scenario-sumo-runs.ts).
 *
 * A run, in a temporary work directory (removed after):
 *  1. the run's snapshot of the scenario, the SUMO network's files (signals/sumo-scenario.ts);
 *  2. the edits: a city scenario's road edges mapped onto the SUMO edges lying on them
 *     (edge-mapping.ts), then closures, lane use, bus lanes and speed limits as one additional file,
 *     the demand factor (sumo-edits.ts), signal plans as programs (signal-plan-edits.ts);
 *  3. demand: the loop counts of the base's day (demand-day.ts) and hour on the network's detectors,
 *     less the scheduled buses, × the demand factor, sampled onto the scenario's routes by
 *     routeSampler, after a WARMUP_S warm-up; the generators' trips (generator-edits.ts);
 *  4. `sumo` with edgeData over the measured time, the scenario's e1 loops every DETECTOR_FREQ_S, and
 *     SaveTLSProgram for each plan edit; meanwhile the fast estimate of the same scenario and hour;
 *  5. the results beside the estimate (scenario-sumo-results.ts), stored per edge and per loop.
 */
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ScenarioSchema, type Scenario } from '../../../../contracts/schemas/scenario'
import { roadEdgesNamed, roadLinesInArea, sumoEdgeLines } from '../../db/scenario-sumo-geometry'
import { claimScenarioSumoRun, finishScenarioSumoRun, type ClaimedScenarioRun, type ScenarioDetectorRow, type ScenarioEdgeRow } from '../../db/scenario-sumo-runs'
import { networkDetectors } from '../../db/sumo-runs'
import { edgeCounts } from '../../signals/sumo-runner'
import { readRunPrograms, type NetworkDetector } from '../../signals/sumo-results'
import { GEMELLO_PROGRAM_ID, SumoRunError, copyScenarioAdditionals, loadNet, resolveScenario } from '../../signals/sumo-scenario'
import { DETECTOR_FREQ_S, SAMPLER_SEED, SumoJobRunner, WARMUP_S, type ActiveRun, type SumoJobRunnerOptions } from '../../sumo/sumo-job-runner'
import { ScenarioEstimator, ScenarioRunError, type EstimateOutput } from '../scenario-estimator'
import { demandDay } from './demand-day'
import { mapEdges, type EdgeMapping } from './edge-mapping'
import { generatorRoutesXml, placeGenerators } from './generator-edits'
import { computeScenarioResults, type EstimateLinkKey } from './scenario-sumo-results'
import { resolvePlanEdits } from './signal-plan-edits'
import { sumoEdits, type MappedEdges, type SumoEdgeInfo } from './sumo-edits'

export interface ScenarioSumoRunnerOptions extends SumoJobRunnerOptions {
  /** The fast estimate shown beside the simulation (default: a ScenarioEstimator of its own on `db`). */
  estimator?: { estimate(scenario: Scenario, o: { version?: number | null; hour?: number }): Promise<EstimateOutput> }
  /** How loop counts are read: 'auto' (rollups where they answer) or 'raw'. */
  countSource?: 'auto' | 'raw'
}

interface ScenarioRunOutput {
  networkId: string
  results: ReturnType<typeof computeScenarioResults>['results']
  edges: ScenarioEdgeRow[]
  detectors: ScenarioDetectorRow[]
}

export class ScenarioSumoRunner extends SumoJobRunner<ClaimedScenarioRun, ScenarioRunOutput> {
  protected readonly job = 'scenario-sumo-runs'
  protected readonly table = 'scenario_sumo_run'
  private estimator: ScenarioSumoRunnerOptions['estimator'] | null
  /** The estimator this runner started itself (none given): closed with the runner. */
  private ownEstimator: ScenarioEstimator | null = null

  constructor(private readonly options: ScenarioSumoRunnerOptions) {
    // The estimate computes in the estimator's worker thread, so the lease is renewed on time as for signal runs.
    super(options)
    this.estimator = options.estimator ?? null
  }

  override async stop(): Promise<void> {
    await super.stop()
    await this.ownEstimator?.close()
  }

  protected claim(holder: string, ttlS: number, nowMs: number): Promise<ClaimedScenarioRun | null> {
    return claimScenarioSumoRun(this.o.db, holder, ttlS, nowMs)
  }

  protected finish(id: number, holder: string, out: ScenarioRunOutput, nowMs: number): Promise<boolean> {
    return finishScenarioSumoRun(this.o.db, id, holder, out, nowMs)
  }

  protected describeRun(run: ClaimedScenarioRun): object {
    return { scenario: `${run.scenarioId}@v${run.version}`, network: run.request.network }
  }

  protected describeDone(out: ScenarioRunOutput): object {
    return { wallS: out.results.wallTimeS, geh5: out.results.gehBelow5Share, unmapped: out.results.unmappedEdits.length }
  }

  /** Steps 1–5 of the header. Throws SumoRunError (the run's message) or what check() throws. */
  protected async simulate(a: ActiveRun<ClaimedScenarioRun>, work: string, t0: number): Promise<ScenarioRunOutput> {
    const { db } = this.o
    const { run } = a
    const req = run.request
    const parsed = ScenarioSchema.safeParse(run.document)
    if (!parsed.success) throw new SumoRunError(`the scenario ${run.scenarioId} v${run.version} is not a valid scenario document: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ')}`)
    const scenario = parsed.data
    const networkId = `sumo-${req.network}`
    if (scenario.network !== 'city' && scenario.network !== networkId) throw new SumoRunError(`the scenario names the edges of ${scenario.network}, not of ${networkId}: verify it on network "${scenario.network.replace(/^sumo-/, '')}"`)
    const files = await resolveScenario(db, this.o.cityDataDir, networkId)
    const net = loadNet(files.net)
    const warmupS = WARMUP_S
    const endS = warmupS + req.durationS
    a.endS = endS
    const f = (name: string) => path.join(work, name)

    // The edits.
    const mapping = mapEdges(await sumoEdgeLines(db, networkId), await roadLinesInArea(db, networkId))
    const edgeInfo = new Map<string, SumoEdgeInfo>(net.edges.filter((e) => e.func === 'normal').map((e) => [e.id, { id: e.id, lanes: e.lanes.map((l) => ({ id: l.id, index: l.index, allow: l.allow, disallow: l.disallow })) }]))
    const mapIds = scenario.network === 'city' ? await this.cityEdgeMapper(networkId, scenario, mapping) : (ids: readonly string[]): MappedEdges => ({ sumoEdges: [...ids], unmapped: [] })
    const edits = sumoEdits({ edits: scenario.edits, edges: edgeInfo, mapEdges: mapIds, time: { hour: req.hour, warmupS, endS } })
    const plans = await resolvePlanEdits(db, net, scenario.edits, edits.deferred)
    this.check(a)

    // Demand: the base day's counts on the network's loops, sampled onto the scenario's routes; the generators' trips.
    const det = await networkDetectors(db, networkId)
    const detectors: NetworkDetector[] = det.map((d) => ({ detectorId: d.id, laneId: d.lane_id, deviceId: d.device_id }))
    const deviceIds = [...new Set(det.flatMap((d) => (d.device_id ? [d.device_id] : [])))].sort()
    const day = await demandDay(db, scenario.base, req.hour, deviceIds, this.options.countSource ? { source: this.options.countSource } : {})
    if ('problem' in day) throw new SumoRunError(day.problem)
    this.check(a)
    const sampled = await this.loopCountDemand(a, work, { scenario: files, net, counts: edgeCounts(detectors, det, day.flows, endS / 3600), endS, scale: edits.demandScale })
    const gens = await placeGenerators(db, networkId, net, scenario.edits, edits.deferred)
    const generated = generatorRoutesXml(gens.generators, sampled.sampledText, endS)
    const routes = [...sampled.routes]
    if (generated) {
      await writeFile(f('generators.rou.xml'), generated.xml)
      routes.push(f('generators.rou.xml'))
    }
    this.check(a)

    // Additional files: the network's (outputs moved here), the plans after its programs, the edits, the measurement.
    const { additional, e1File } = await copyScenarioAdditionals(files, work, DETECTOR_FREQ_S)
    const programFiles = new Map<string, string>()
    for (const p of plans.programs) {
      await writeFile(f(`gemello-program-${p.edit}.add.xml`), p.xml)
      additional.push(f(`gemello-program-${p.edit}.add.xml`))
      programFiles.set(p.tlsId, f(`program-${p.edit}.xml`))
    }
    if (edits.additionalXml) {
      await writeFile(f('gemello-edits.add.xml'), edits.additionalXml)
      additional.push(f('gemello-edits.add.xml'))
    }
    const measure = [`    <edgeData id="gemello" file="${f('edges.xml')}" begin="${warmupS}" end="${endS}"/>`, ...[...programFiles].map(([tls, file]) => `    <timedEvent type="SaveTLSProgram" source="${tls}" dest="${file}"/>`)]
    await writeFile(f('gemello-measure.add.xml'), ['<?xml version="1.0" encoding="UTF-8"?>', '<additional>', ...measure, '</additional>', ''].join('\n'))
    additional.push(f('gemello-measure.add.xml'))

    // SUMO, and the estimate of the same scenario and hour beside it.
    const estimating = this.estimateBeside(scenario, run.version, req.hour)
    await this.sumo(a, work, { net: files.net, additional, routes, endS })
    for (const [tls, file] of programFiles) {
      const ran = existsSync(file) ? readRunPrograms(file) : []
      if (ran.length === 0 || ran.some((p) => p !== GEMELLO_PROGRAM_ID)) throw new SumoRunError(`SUMO did not run the scenario's plan on traffic light ${tls}: it reported program(s) ${ran.join(', ') || 'none'} instead of ${GEMELLO_PROGRAM_ID}`)
    }
    const est = await estimating
    this.check(a)
    // A city scenario's estimate is on road edges (each SUMO edge compared with the road it lies on), a SUMO one's on the SUMO edges themselves.
    const linkOf = new Map<string, EstimateLinkKey>(
      scenario.network === 'city' ? [...mapping.roadOf].map(([e, m]) => [e, { edgeId: m.roadEdgeId, reverse: m.reverse }]) : [...edgeInfo.keys()].map((e) => [e, { edgeId: e, reverse: false }]),
    )
    const byEdit = <T extends { edit: number }>(xs: T[]) => xs.sort((x, y) => x.edit - y.edit)
    const { results, edges, detectors: loopRows } = computeScenarioResults({
      network: req.network,
      hour: req.hour,
      beginS: warmupS,
      endS,
      files: { edges: f('edges.xml'), e1: e1File && existsSync(e1File) ? e1File : null, statistics: f('statistics.xml') },
      edgeIds: [...edgeInfo.keys()],
      roadOf: mapping.roadOf,
      detectors,
      loopFlows: day.flows,
      estimate: est.out ? { links: est.out.links, linkOf, loopLinks: new Map(est.out.estimate.calibration.loops.map((l) => [l.deviceId, { edgeId: l.roadEdgeId, reverse: false }])) } : null,
      estimateNote: est.note,
      vehicles: sampled.vehicles + (generated?.vehicles ?? 0),
      demand: { date: day.date, note: day.note, countedEdges: sampled.countedEdges, scale: edits.demandScale, seed: SAMPLER_SEED, samplerGehBelow5Share: sampled.samplerGehBelow5Share },
      applied: byEdit([...edits.applied, ...plans.applied, ...gens.applied]),
      unmapped: byEdit([...edits.unmapped, ...plans.unmapped, ...gens.unmapped]),
      inactive: edits.inactive,
      wallTimeS: (performance.now() - t0) / 1000,
    })
    return { networkId, results, edges, detectors: loopRows }
  }

  /** A city scenario's road edge ids → the SUMO edges on them, or why there are none. */
  private async cityEdgeMapper(networkId: string, scenario: Scenario, mapping: EdgeMapping): Promise<(ids: readonly string[]) => MappedEdges> {
    const named = await roadEdgesNamed(this.o.db, networkId, scenario.edits.flatMap((e) => ('edges' in e ? e.edges : [])))
    return (ids) => {
      const out: MappedEdges = { sumoEdges: [], unmapped: [] }
      for (const id of ids) {
        const sumo = mapping.sumoOf.get(id)
        if (sumo && sumo.length > 0) out.sumoEdges.push(...sumo)
        else if (!named.has(id)) out.unmapped.push({ id, reason: 'the city graph has no such road edge' })
        else if (!named.get(id)!.inArea) out.unmapped.push({ id, reason: "outside the SUMO network's area" })
        else out.unmapped.push({ id, reason: `no edge of ${networkId} lies along it (the SUMO network does not model that street)` })
      }
      return out
    }
  }

  /** The fast estimate of the same scenario and hour, or why there is none. Never rejects. */
  private async estimateBeside(scenario: Scenario, version: number, hour: number): Promise<{ out: EstimateOutput | null; note: string | null }> {
    try {
      this.estimator ??= this.ownEstimator = new ScenarioEstimator(this.o.db)
      return { out: await this.estimator.estimate(scenario, { version, hour }), note: null }
    } catch (err) {
      const message = (err as Error).message
      return { out: null, note: err instanceof ScenarioRunError ? `no estimate beside the simulation: ${message}` : `no estimate beside the simulation: the estimate failed (${message})` }
    }
  }
}
