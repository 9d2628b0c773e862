/**
 * SUMO runs as background jobs of the server: the machinery shared by the verification of signal
 * plans (server/src/signals/sumo-runner.ts) and of scenarios
 * (server/src/scenarios/sumo-verification/scenario-sumo-runner.ts). A subclass names its runs' table
 * (the lease statements of db/run-lease.ts), claims and finishes its runs, and says what one run
 * simulates; this class does the rest:
 *  - one run at a time per process, claimed from the queue under a lease so that exactly one
 *    process runs each; a run whose process died is taken over when its lease lapses;
 *  - a temporary work directory per run (removed after);
 *  - progress (simulated time / end, from SUMO's step log, unbuffered through stdbuf when there is
 *    one), written to the database at most once a heartbeat with the lease renewal;
 *  - cancel (flagged in the database, or cancel() in this process) and the wall-time limit kill
 *    the process group of the tool running (routeSampler or SUMO); stop() kills it and hands the
 *    run back to the queue;
 *  - the tools: routeSampler on loop counts (demand) and `sumo` itself.
 */
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import type { Db } from '../db/adapter'
import { endLeasedRun, heartbeatLeasedRun, releaseLeasedRun, type LeasedRunTable } from '../db/run-lease'
import type { JobLogger } from '../jobs/job-loop'
import { hasStdbuf, killGroup, spawnTool } from './sumo-tools'
import { SumoRunError, candidateRoutes, candidatesXml, edgeCountsXml, transitPassages, typeSampledRoutes, type CandidateRoutes, type ScenarioFiles } from '../signals/sumo-scenario'
import type { SumoNet } from '../../../geodata/src/sumo/sumo-net'

/** Simulated seconds before the measured ones with loop-count demand (the network fills up). */
export const WARMUP_S = 300
/** Detector aggregation period: a divisor of WARMUP_S, so the measured interval starts on a boundary. */
export const DETECTOR_FREQ_S = 60
/** routeSampler's and SUMO's seed: the same counts give the same vehicles. */
export const SAMPLER_SEED = 42

export interface SumoJobRunnerOptions {
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
}

/** What the runner needs of a claimed run. */
export interface LeasedRun {
  id: number
  attempts: number
}

type AbortReason = 'cancel' | 'lease' | 'wall' | 'stop'

class Aborted extends Error {
  constructor(readonly reason: AbortReason) {
    super(`aborted: ${reason}`)
  }
}

/** The run in progress. */
export interface ActiveRun<R extends LeasedRun> {
  run: R
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

export type RunOutcome = 'done' | 'failed' | 'cancelled' | 'released' | 'lost'

/** Demand rebuilt from loop counts (loopCountDemand). */
export interface SampledDemand {
  /** The route files SUMO loads: the sampled vehicles, then the scenario's bus lines. */
  routes: string[]
  vehicles: number
  countedEdges: number
  /** routeSampler's own share of counted edges matched with GEH < 5. */
  samplerGehBelow5Share: number | null
  candidates: CandidateRoutes
  /** The sampled vehicles' route file, as SUMO reads it. */
  sampledText: string
}

export abstract class SumoJobRunner<R extends LeasedRun, O> {
  private readonly holder: string
  protected readonly clock: () => number
  private timer: NodeJS.Timeout | null = null
  private stopped = true
  /** stop() was called: a run claimed meanwhile goes straight back to the queue. */
  private stopping = false
  private loop: Promise<unknown> | null = null
  private current: ActiveRun<R> | null = null
  private readonly s: SumoRunnerStats = { runs: 0, done: 0, failed: 0, cancelled: 0, lastError: null }
  /** wake() came while a look was in progress: look again right after it. */
  private woken = false

  /** The job's name in the logs and its work directories' prefix. */
  protected abstract readonly job: string
  /** The runs' table (the lease statements of db/run-lease.ts). */
  protected abstract readonly table: LeasedRunTable
  /** Claims the oldest queued run, or one whose lease lapsed (claimLeasedRun on the table); null when there is none. */
  protected abstract claim(holder: string, ttlS: number, nowMs: number): Promise<R | null>
  /** Done: the results and the run's rows in one transaction; false when the lease was lost (nothing written). */
  protected abstract finish(id: number, holder: string, out: O, nowMs: number): Promise<boolean>
  /** One run, in `workDir`. Throws SumoRunError (the run's message) or what check() throws. */
  protected abstract simulate(a: ActiveRun<R>, workDir: string, t0: number): Promise<O>
  /** Log fields of a run (started) and of its outcome (done). */
  protected abstract describeRun(run: R): object
  protected abstract describeDone(out: O): object

  constructor(protected readonly o: SumoJobRunnerOptions) {
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

  /** Cancel asked for a run: if this process runs it, SUMO is killed now (the database flag does the same within a heartbeat). */
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
  async runNext(): Promise<{ runId: number; status: RunOutcome } | null> {
    let run: R | null
    try {
      run = await this.claim(this.holder, this.ttlS(), this.clock())
    } catch (err) {
      this.s.lastError = (err as Error).message
      this.o.log.error({ job: this.job, err: this.s.lastError }, 'SUMO runs: could not look for queued runs; trying again')
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

  private abort(a: ActiveRun<R>, reason: AbortReason): void {
    if (a.aborted) return
    a.aborted = reason
    killGroup(a.child)
  }

  private async execute(run: R): Promise<RunOutcome> {
    const { log } = this.o
    const a: ActiveRun<R> = { run, child: null, aborted: null, simS: 0, endS: 0, progress: 0 }
    this.current = a
    if (this.stopping) a.aborted = 'stop'
    const t0 = performance.now()
    let beating = false
    const heartbeat = setInterval(() => {
      if (beating || a.aborted) return
      beating = true
      heartbeatLeasedRun(this.o.db, this.table, run.id, this.holder, a.progress, this.ttlS())
        .then((hb) => {
          if (!hb.owned) this.abort(a, 'lease')
          else if (hb.cancelRequested) this.abort(a, 'cancel')
        })
        .catch((err: unknown) => log.warn({ job: this.job, run: run.id, err: (err as Error).message }, 'SUMO run: could not renew the lease; trying again'))
        .finally(() => {
          beating = false
        })
    }, this.o.heartbeatMs ?? 1000)
    const limitMs = this.o.wallTimeLimitMs ?? 600_000
    const wall = setTimeout(() => this.abort(a, 'wall'), limitMs)
    let workDir: string | null = null
    log.info({ job: this.job, run: run.id, ...this.describeRun(run), attempt: run.attempts }, 'SUMO run started')
    try {
      workDir = await mkdtemp(path.join(this.o.workRoot ?? tmpdir(), `gemello-${this.job}-${run.id}-`))
      const out = await this.simulate(a, workDir, t0)
      clearInterval(heartbeat)
      if (a.aborted) throw new Aborted(a.aborted)
      const ok = await this.finish(run.id, this.holder, out, this.clock())
      if (!ok) return this.lost(run)
      this.s.done++
      log.info({ job: this.job, run: run.id, ...this.describeDone(out) }, 'SUMO run done')
      return 'done'
    } catch (err) {
      clearInterval(heartbeat)
      const reason = err instanceof Aborted ? err.reason : a.aborted
      if (reason === 'lease') return this.lost(run)
      if (reason === 'stop') {
        await releaseLeasedRun(this.o.db, this.table, run.id, this.holder, this.clock()).catch(() => undefined)
        log.info({ job: this.job, run: run.id }, 'SUMO run handed back to the queue (the server is stopping)')
        return 'released'
      }
      if (reason === 'cancel') {
        const ok = await endLeasedRun(this.o.db, this.table, run.id, this.holder, 'cancelled', null, this.clock()).catch(() => false)
        if (!ok) return this.lost(run)
        this.s.cancelled++
        log.info({ job: this.job, run: run.id }, 'SUMO run cancelled; SUMO was stopped')
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
      const ok = await endLeasedRun(this.o.db, this.table, run.id, this.holder, 'failed', message.slice(0, 4000), this.clock()).catch(() => false)
      if (!ok) return this.lost(run)
      log.warn({ job: this.job, run: run.id, err: message }, 'SUMO run failed')
      return 'failed'
    } finally {
      clearInterval(heartbeat)
      clearTimeout(wall)
      this.current = null
      if (workDir) await rm(workDir, { recursive: true, force: true }).catch(() => undefined)
    }
  }

  private lost(run: R): 'lost' {
    this.o.log.warn({ job: this.job, run: run.id }, 'SUMO run: the lease was lost (another process took the run over, or it was removed); nothing written')
    return 'lost'
  }

  /** Throws when the run was aborted (cancel, lease lost, wall-time limit, stop): call between steps. */
  protected check(a: ActiveRun<R>): void {
    if (a.aborted) throw new Aborted(a.aborted)
  }

  /**
   * Demand from loop counts: vehicles per edge in [0, endS) (`counts`), less the scenario's
   * scheduled buses passing each edge (they run as scheduled: route files of vehicles that all
   * serve stops), times `scale`; then routeSampler with the scenario's other routes as candidates
   * (fixed seed), each sampled vehicle typed as the scenario's vehicles on the same route.
   */
  protected async loopCountDemand(a: ActiveRun<R>, work: string, d: { scenario: ScenarioFiles; net: SumoNet; counts: ReadonlyMap<string, number>; endS: number; scale?: number }): Promise<SampledDemand> {
    const f = (name: string) => path.join(work, name)
    const candidates = candidateRoutes(d.scenario.routes, d.net)
    if (candidates.types.size === 0) throw new SumoRunError(`the scenario's route files (${d.scenario.routes.map((r) => path.basename(r)).join(', ')}) have no route on this network to sample from`)
    // The loops count the buses too: they run as scheduled, and the cars are sampled for the rest.
    const buses = transitPassages(candidates.transit, d.endS)
    const counts = new Map([...d.counts].map(([edge, n]) => [edge, Math.max(0, n - (buses.get(edge) ?? 0)) * (d.scale ?? 1)]))
    await writeFile(f('counts.xml'), edgeCountsXml(counts, 0, d.endS))
    await writeFile(f('candidates.rou.xml'), candidatesXml(candidates))
    const sampled = await this.routeSampler(a, work)
    const typed = typeSampledRoutes(await readFile(f('sampled.rou.xml'), 'utf8'), candidates.types)
    await writeFile(f('demand.rou.xml'), typed.text)
    const transitVehicles = candidates.transit.filter((v) => v.departS < d.endS).length
    return { routes: [f('demand.rou.xml'), ...candidates.transitFiles], vehicles: typed.vehicles + transitVehicles, countedEdges: counts.size, samplerGehBelow5Share: sampled.gehShare, candidates, sampledText: typed.text }
  }

  /** routeSampler.py on counts.xml and candidates.rou.xml → sampled.rou.xml; its own GEH < 5 share. */
  private async routeSampler(a: ActiveRun<R>, work: string): Promise<{ gehShare: number | null }> {
    const home = this.sumoHome()
    const script = path.join(home, 'tools', 'routeSampler.py')
    if (!existsSync(script)) throw new SumoRunError(`SUMO's routeSampler.py is not at ${script}: install the SUMO tools (Debian: apt install sumo-tools) or set SUMO_HOME`)
    this.check(a)
    const r = await spawnTool(a, this.o.python ?? 'python3', [script, '-r', 'candidates.rou.xml', '-d', 'counts.xml', '--edgedata-attribute', 'entered', '-o', 'sampled.rou.xml', '-I', '-s', String(SAMPLER_SEED)], {
      cwd: work,
      env: { ...process.env, SUMO_HOME: home, PYTHONPATH: [path.join(home, 'tools'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) },
    })
    this.check(a)
    if (r.code !== 0 || !existsSync(path.join(work, 'sampled.rou.xml'))) throw new SumoRunError(`routeSampler failed (exit ${r.code ?? r.signal}): ${r.errors.slice(0, 5).join(' | ') || r.tail.slice(-5).join(' | ')}`)
    const m = /GEH<5 for ([\d.]+)%/.exec(r.stdout)
    return { gehShare: m ? Math.round(Number(m[1]) * 100) / 10_000 : null }
  }

  /** `sumo` from 0 to endS with statistics (statistics.xml) and collisions (collisions.xml) written into the work directory. */
  protected async sumo(a: ActiveRun<R>, work: string, s: { net: string; additional: string[]; routes: string[]; endS: number }): Promise<{ warnings: string[] }> {
    a.endS = s.endS
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
    const [cmd, ...rest] = hasStdbuf() ? ['stdbuf', '-o0', bin, ...args] : [bin, ...args]
    let tail = ''
    this.check(a)
    const r = await spawnTool(a, cmd!, rest, {
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
    this.check(a)
    if (r.notFound) throw new SumoRunError(`SUMO is not installed: "${bin}" was not found (Debian: apt install sumo sumo-tools)`)
    if (r.code !== 0) throw new SumoRunError(`SUMO failed (exit ${r.code ?? r.signal}): ${r.errors.slice(0, 5).join(' | ') || r.tail.slice(-5).join(' | ')}`)
    return { warnings: r.warnings }
  }

  private sumoHome(): string {
    return this.o.sumoHome ?? process.env.SUMO_HOME ?? '/usr/share/sumo'
  }
}

function fmtDuration(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 100) / 10} s`
}
