/**
 * SUMO verification runs as a background job of the server (docs/signals.md, "Verification in
 * SUMO"): one run at a time per process, claimed from the queue under a lease (db/sumo-runs.ts) so
 * that exactly one process runs each; a run whose process died is taken over when its lease lapses.
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
 *  4. `sumo` with step log every 100 steps (unbuffered through stdbuf when there is one): progress
 *     = simulated time / end, written to the database at most once a second with the lease;
 *     stderr warnings about traffic-light programs kept verbatim; errors fail the run with SUMO's words;
 *  5. the results (sumo-results.ts) and the program SUMO reports running checked to be the plan's.
 * Cancel (flagged in the database, or cancel() in this process) and the wall-time limit kill the
 * process group of the tool running (routeSampler or SUMO); stop() kills it and hands the run back
 * to the queue.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import type { SumoRunResults } from '../../../contracts/signal-api'
import type { Db } from '../db/adapter'
import { groupDemand, loopFlowsAt } from '../db/signal-demand'
import { controllerDoc, getPlanVersion } from '../db/signals'
import { claimSumoRun, endSumoRun, finishSumoRun, heartbeatSumoRun, releaseSumoRun, type ClaimedRun } from '../db/sumo-runs'
import type { JobLogger } from '../jobs/job-loop'
import { computeResults, readRunPrograms, type NetworkDetector } from './sumo-results'
import {
  GEMELLO_PROGRAM_ID,
  SumoRunError,
  candidateRoutes,
  candidatesXml,
  controllerLinks,
  edgeCountsXml,
  loadNet,
  measurementXml,
  planProgramXml,
  resolveScenario,
  rewriteOutputs,
  transitPassages,
  typeSampledRoutes,
} from './sumo-scenario'

/** Simulated seconds before the measured ones with loop-count demand (the network fills up). */
export const WARMUP_S = 300
/** Detector aggregation period: a divisor of WARMUP_S, so the measured interval starts on a boundary. */
export const DETECTOR_FREQ_S = 60
/** routeSampler's seed: the same counts give the same vehicles. */
export const SAMPLER_SEED = 42
const MAX_WARNINGS = 50

export interface SumoRunnerOptions {
  db: Db
  log: JobLogger
  /** The city data directory (config cityDataDir): where the networks' files are. */
  cityDataDir: string
  /** `sumo` (on PATH) by default. */
  sumoBinary?: string
  /** SUMO_HOME (its tools/routeSampler.py); default the environment's, else /usr/share/sumo (Debian). */
  sumoHome?: string
  python?: string
  /** How often an idle runner looks for queued runs (default 2 s; wake() looks at once). */
  pollMs?: number
  /** Lease length (default 30 s); renewed every heartbeatMs (default 1 s) while a run is in progress. */
  leaseTtlS?: number
  heartbeatMs?: number
  /** A run still in progress after this is killed and fails (default 10 min). */
  wallTimeLimitMs?: number
  /** Where work directories are made (default os.tmpdir()). */
  workRoot?: string
  /** Who holds the lease (default host:pid:random). */
  holder?: string
  clock?: () => number
  /** How loop counts are read: 'auto' (rollups where they answer) or 'raw' (signal-demand.ts). */
  countSource?: 'auto' | 'raw'
}

type AbortReason = 'cancel' | 'lease' | 'wall' | 'stop'

class Aborted extends Error {
  constructor(readonly reason: AbortReason) {
    super(`aborted: ${reason}`)
  }
}

interface Active {
  run: ClaimedRun
  child: ChildProcess | null
  aborted: AbortReason | null
  /** Simulated seconds reached and the run's end, for progress and the wall-time message. */
  simS: number
  endS: number
  progress: number
}

export interface SumoRunnerStats {
  runs: number
  done: number
  failed: number
  cancelled: number
  lastError: string | null
}

export class SumoRunner {
  private readonly holder: string
  private readonly clock: () => number
  private timer: NodeJS.Timeout | null = null
  private stopped = true
  /** stop() was called: a run claimed meanwhile goes straight back to the queue. */
  private stopping = false
  private loop: Promise<unknown> | null = null
  private current: Active | null = null
  private readonly s: SumoRunnerStats = { runs: 0, done: 0, failed: 0, cancelled: 0, lastError: null }
  private stdbuf: boolean | null = null
  /** wake() came while a look was in progress: look again right after it. */
  private woken = false

  constructor(private readonly o: SumoRunnerOptions) {
    this.holder = o.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
    this.clock = o.clock ?? Date.now
  }

  /** Starts looking for queued runs (now, then every pollMs when idle). */
  start(): void {
    this.stopped = false
    this.stopping = false
    this.schedule(0)
  }

  /** A run was queued: look now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return
    if (this.loop) this.woken = true
    else this.schedule(0)
  }

  /** Cancel asked for a run: if this process runs it, SUMO is killed now (the database flag does the same within a second). */
  cancel(runId: number): boolean {
    if (this.current?.run.id !== runId) return false
    this.abort(this.current, 'cancel')
    return true
  }

  /** The run in progress here and its tool's process id (tests, metrics). */
  active(): { runId: number; pid: number | null; progress: number } | null {
    return this.current ? { runId: this.current.run.id, pid: this.current.child?.pid ?? null, progress: this.current.progress } : null
  }

  stats(): SumoRunnerStats {
    return { ...this.s }
  }

  /** Stops looking; a run in progress is killed and handed back to the queue (another process, or this one after a restart, runs it again). */
  async stop(): Promise<void> {
    this.stopped = true
    this.stopping = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.current) this.abort(this.current, 'stop')
    await this.loop?.catch(() => undefined)
  }

  /** Claims one run and runs it to its end; null when none was queued. Never rejects. */
  async runNext(): Promise<{ runId: number; status: 'done' | 'failed' | 'cancelled' | 'released' | 'lost' } | null> {
    let run: ClaimedRun | null
    try {
      run = await claimSumoRun(this.o.db, this.holder, this.ttlS(), this.clock())
    } catch (err) {
      this.s.lastError = (err as Error).message
      this.o.log.error({ job: 'sumo-runs', err: this.s.lastError }, 'SUMO runs: could not look for queued runs; trying again')
      return null
    }
    if (!run) return null
    this.s.runs++
    return { runId: run.id, status: await this.execute(run) }
  }

  private ttlS(): number {
    return this.o.leaseTtlS ?? 30
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      if (this.loop) return
      this.woken = false
      this.loop = this.runNext()
        .then((r) => {
          this.loop = null
          this.schedule(r || this.woken ? 0 : (this.o.pollMs ?? 2000))
        })
        .finally(() => {
          this.loop = null
        })
    }, ms)
    this.timer.unref()
  }

  private abort(a: Active, reason: AbortReason): void {
    if (a.aborted) return
    a.aborted = reason
    killGroup(a.child)
  }

  private async execute(run: ClaimedRun): Promise<'done' | 'failed' | 'cancelled' | 'released' | 'lost'> {
    const { db, log } = this.o
    const a: Active = { run, child: null, aborted: null, simS: 0, endS: 0, progress: 0 }
    this.current = a
    if (this.stopping) a.aborted = 'stop'
    const t0 = performance.now()
    let beating = false
    const heartbeat = setInterval(() => {
      if (beating || a.aborted) return
      beating = true
      heartbeatSumoRun(db, run.id, this.holder, a.progress, this.ttlS())
        .then((hb) => {
          if (!hb.owned) this.abort(a, 'lease')
          else if (hb.cancelRequested) this.abort(a, 'cancel')
        })
        .catch((err: unknown) => log.warn({ job: 'sumo-runs', run: run.id, err: (err as Error).message }, 'SUMO run: could not renew the lease; trying again'))
        .finally(() => {
          beating = false
        })
    }, this.o.heartbeatMs ?? 1000)
    const limitMs = this.o.wallTimeLimitMs ?? 600_000
    const wall = setTimeout(() => this.abort(a, 'wall'), limitMs)
    let workDir: string | null = null
    log.info({ job: 'sumo-runs', run: run.id, controller: run.controllerId, plan: `${run.planId}@v${run.version}`, attempt: run.attempts }, 'SUMO run started')
    try {
      workDir = await mkdtemp(path.join(this.o.workRoot ?? tmpdir(), `gemello-sumo-${run.id}-`))
      const out = await this.simulate(a, workDir, t0)
      clearInterval(heartbeat)
      if (a.aborted) throw new Aborted(a.aborted)
      const ok = await finishSumoRun(db, run.id, this.holder, out, this.clock())
      if (!ok) return this.lost(run)
      this.s.done++
      log.info({ job: 'sumo-runs', run: run.id, wallS: out.results.wallTimeS, geh5: out.results.gehBelow5Share }, 'SUMO run done')
      return 'done'
    } catch (err) {
      clearInterval(heartbeat)
      const reason = err instanceof Aborted ? err.reason : a.aborted
      if (reason === 'lease') return this.lost(run)
      if (reason === 'stop') {
        await releaseSumoRun(db, run.id, this.holder, this.clock()).catch(() => undefined)
        log.info({ job: 'sumo-runs', run: run.id }, 'SUMO run handed back to the queue (the server is stopping)')
        return 'released'
      }
      if (reason === 'cancel') {
        const ok = await endSumoRun(db, run.id, this.holder, 'cancelled', null, this.clock()).catch(() => false)
        if (!ok) return this.lost(run)
        this.s.cancelled++
        log.info({ job: 'sumo-runs', run: run.id }, 'SUMO run cancelled; SUMO was stopped')
        return 'cancelled'
      }
      const message =
        reason === 'wall'
          ? `SUMO did not finish within the wall-time limit of ${fmtDuration(limitMs)} (simulated ${Math.round(a.simS)} of ${a.endS} s); it was stopped. Shorten durationS, or raise the runner's limit.`
          : err instanceof SumoRunError
            ? err.message
            : `internal error: ${(err as Error).message}`
      this.s.failed++
      this.s.lastError = message
      const ok = await endSumoRun(db, run.id, this.holder, 'failed', message.slice(0, 4000), this.clock()).catch(() => false)
      if (!ok) return this.lost(run)
      log.warn({ job: 'sumo-runs', run: run.id, err: message }, 'SUMO run failed')
      return 'failed'
    } finally {
      clearInterval(heartbeat)
      clearTimeout(wall)
      this.current = null
      if (workDir) await rm(workDir, { recursive: true, force: true }).catch(() => undefined)
    }
  }

  private lost(run: ClaimedRun): 'lost' {
    this.o.log.warn({ job: 'sumo-runs', run: run.id }, 'SUMO run: the lease was lost (another process took the run over, or it was removed); nothing written')
    return 'lost'
  }

  private check(a: Active): void {
    if (a.aborted) throw new Aborted(a.aborted)
  }

  /** Steps 1–5 of the header. Throws SumoRunError (the run's message) or Aborted. */
  private async simulate(a: Active, work: string, t0: number) {
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
    const det = await db.query<{ id: string; lane_id: string; edge_id: string; device_id: string | null }>(
      `SELECT d.id, d.lane_id, d.device_id, coalesce(l.edge_id, regexp_replace(d.lane_id, '_[0-9]+$', '')) AS edge_id
       FROM sumo_detector d LEFT JOIN sumo_lane l ON l.network_id = d.network_id AND l.id = d.lane_id
       WHERE d.network_id = $1 ORDER BY d.id`,
      [networkId],
    )
    const detectors: NetworkDetector[] = det.rows.map((d) => ({ detectorId: d.id, laneId: d.lane_id, deviceId: d.device_id }))
    const deviceIds = [...new Set(det.rows.flatMap((d) => (d.device_id ? [d.device_id] : [])))]
    const date = req.date ?? null
    const opts = this.o.countSource ? { source: this.o.countSource } : {}
    const loopFlows = date === null ? new Map<string, number>() : await loopFlowsAt(db, deviceIds, date, req.hour, opts)
    const groupCounted = new Map<string, number | null>()
    if (date !== null) {
      const gd = await groupDemand(db, c.doc, networkId, { weeks: 1, untilDate: date, dayType: 'weekday', hour: req.hour, singleDay: true }, opts)
      for (const g of gd.demand) groupCounted.set(g.groupId, g.flowVehH)
    }
    this.check(a)

    // Additional files: vehicle types, programs, stops… with outputs moved here; then the plan, then the measurements.
    const additional: string[] = []
    let e1File: string | null = null
    for (const [k, file] of scenario.additional.entries()) {
      if (!existsSync(file)) throw new SumoRunError(`the scenario file ${file} is missing (named by ${scenario.config ?? 'the network'}): restore the city data`)
      const text = await readFile(file, 'utf8')
      if (!/\s(file|dest)="/.test(text)) {
        additional.push(file)
        continue
      }
      const rewritten = rewriteOutputs(text, work, f('e1.xml'), DETECTOR_FREQ_S, `add${k}`)
      if (rewritten.e1 > 0) e1File = f('e1.xml')
      const copy = f(`add${k}-${path.basename(file)}`)
      await writeFile(copy, rewritten.text)
      additional.push(copy)
    }
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
      const candidates = candidateRoutes(scenario.routes, net)
      if (candidates.types.size === 0) throw new SumoRunError(`the scenario's route files (${scenario.routes.map((r) => path.basename(r)).join(', ')}) have no route on this network to sample from`)
      // The loops count the buses too: they run as scheduled, and the cars are sampled for the rest.
      const counts = edgeCounts(detectors, det.rows, loopFlows, endS / 3600)
      const buses = transitPassages(candidates.transit, endS)
      for (const [edge, n] of counts) counts.set(edge, Math.max(0, n - (buses.get(edge) ?? 0)))
      await writeFile(f('counts.xml'), edgeCountsXml(counts, 0, endS))
      await writeFile(f('candidates.rou.xml'), candidatesXml(candidates))
      const sampled = await this.routeSampler(a, work)
      const typed = typeSampledRoutes(await readFile(f('sampled.rou.xml'), 'utf8'), candidates.types)
      await writeFile(f('demand.rou.xml'), typed.text)
      routes = [f('demand.rou.xml'), ...candidates.transitFiles]
      const transitVehicles = candidates.transit.filter((v) => v.departS < endS).length
      demand = { kind: 'loop-counts', date, hour: req.hour, warmupS, measuredS: req.durationS, vehicles: typed.vehicles + transitVehicles, seed: SAMPLER_SEED, countedEdges: counts.size, samplerGehBelow5Share: sampled.gehShare }
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

  /** routeSampler.py on counts.xml and candidates.rou.xml → sampled.rou.xml; its own GEH < 5 share. */
  private async routeSampler(a: Active, work: string): Promise<{ gehShare: number | null }> {
    const home = this.sumoHome()
    const script = path.join(home, 'tools', 'routeSampler.py')
    if (!existsSync(script)) throw new SumoRunError(`SUMO's routeSampler.py is not at ${script}: install the SUMO tools (Debian: apt install sumo-tools) or set SUMO_HOME`)
    const r = await this.spawnTool(a, this.o.python ?? 'python3', [script, '-r', 'candidates.rou.xml', '-d', 'counts.xml', '--edgedata-attribute', 'entered', '-o', 'sampled.rou.xml', '-I', '-s', String(SAMPLER_SEED)], {
      cwd: work,
      env: { ...process.env, SUMO_HOME: home, PYTHONPATH: [path.join(home, 'tools'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) },
    })
    if (r.code !== 0 || !existsSync(path.join(work, 'sampled.rou.xml'))) throw new SumoRunError(`routeSampler failed (exit ${r.code ?? r.signal}): ${r.errors.slice(0, 5).join(' | ') || r.tail.slice(-5).join(' | ')}`)
    const m = /GEH<5 for ([\d.]+)%/.exec(r.stdout)
    return { gehShare: m ? Math.round(Number(m[1]) * 100) / 10_000 : null }
  }

  private async sumo(a: Active, work: string, s: { net: string; additional: string[]; routes: string[]; endS: number }): Promise<{ warnings: string[] }> {
    const args = [
      '-n', s.net,
      '-a', s.additional.join(','),
      '-r', s.routes.join(','),
      '--begin', '0',
      '--end', String(s.endS),
      '--step-log.period', '100',
      '--collision.check-junctions', 'true',
      '--collision-output', 'collisions.xml',
      '--statistic-output', 'statistics.xml',
      '--duration-log.statistics', 'true',
      '--ignore-route-errors', 'true',
      '--seed', String(SAMPLER_SEED),
    ]
    const bin = this.o.sumoBinary ?? 'sumo'
    const [cmd, ...rest] = this.hasStdbuf() ? ['stdbuf', '-o0', bin, ...args] : [bin, ...args]
    let tail = ''
    const r = await this.spawnTool(a, cmd!, rest, {
      cwd: work,
      env: { ...process.env, SUMO_HOME: this.sumoHome() },
      onStdout: (chunk) => {
        const parts = (tail + chunk).split(/[\r\n]/)
        tail = parts.pop() ?? ''
        for (const p of parts) {
          const m = /Step #(\d+(?:\.\d+)?)/.exec(p)
          if (m) {
            a.simS = Number(m[1])
            a.progress = Math.min(0.999, a.simS / s.endS)
          }
        }
      },
    })
    if (r.notFound) throw new SumoRunError(`SUMO is not installed: "${bin}" was not found (Debian: apt install sumo sumo-tools)`)
    if (r.code !== 0) throw new SumoRunError(`SUMO failed (exit ${r.code ?? r.signal}): ${r.errors.slice(0, 5).join(' | ') || r.tail.slice(-5).join(' | ')}`)
    return { warnings: r.warnings }
  }

  private sumoHome(): string {
    return this.o.sumoHome ?? process.env.SUMO_HOME ?? '/usr/share/sumo'
  }

  private hasStdbuf(): boolean {
    if (this.stdbuf === null) this.stdbuf = spawnSync('stdbuf', ['--version'], { stdio: 'ignore' }).status === 0
    return this.stdbuf
  }

  /**
   * Runs a tool in its own process group (killed whole on abort), keeping: SUMO's warnings about
   * traffic-light programs (verbatim, at most MAX_WARNINGS), error lines, the last lines of stderr,
   * and stdout without the step log.
   */
  private spawnTool(a: Active, cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; onStdout?: (chunk: string) => void }) {
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; warnings: string[]; errors: string[]; tail: string[]; notFound: boolean }>((resolve) => {
      this.check(a)
      const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
      a.child = child
      const warnings: string[] = []
      const errors: string[] = []
      const tail: string[] = []
      let stdout = ''
      let errBuf = ''
      let notFound = false
      child.stdout!.setEncoding('utf8')
      child.stderr!.setEncoding('utf8')
      child.stdout!.on('data', (d: string) => {
        o.onStdout?.(d)
        if (stdout.length < 200_000) stdout += d.replace(/Step #[^\r\n]*[\r\n]?/g, '')
      })
      const line = (l: string) => {
        const t = l.trim()
        if (t === '') return
        tail.push(t)
        if (tail.length > 20) tail.shift()
        if (/^Warning:/i.test(t)) {
          if (/tlLogic|traffic light|tls|program|yellow|phase|signal/i.test(t) && warnings.length < MAX_WARNINGS) warnings.push(t)
        } else if (/^Error:|^Traceback|^\w*Error\b|^Quitting/.test(t)) errors.push(t)
      }
      child.stderr!.on('data', (d: string) => {
        const parts = (errBuf + d).split(/\r?\n/)
        errBuf = parts.pop() ?? ''
        parts.forEach(line)
      })
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') notFound = true
        errors.push(err.message)
      })
      child.on('close', (code, signal) => {
        line(errBuf)
        if (a.child === child) a.child = null
        if (a.aborted) {
          resolve({ code, signal, stdout, warnings, errors, tail, notFound })
          return
        }
        resolve({ code: notFound ? -1 : code, signal, stdout, warnings, errors, tail, notFound })
      })
    }).then((r) => {
      this.check(a)
      return r
    })
  }
}

/** Kills a tool's whole process group (detached: its pid is the group's id); quietly when it has gone. */
function killGroup(child: ChildProcess | null): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    try {
      child.kill('SIGKILL')
    } catch {
      /* gone */
    }
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

function fmtDuration(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 100) / 10} s`
}
