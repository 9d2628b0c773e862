/**
 * A periodic database job that any number of processes may run: every tick is ONE transaction
 * that first takes `pg_try_advisory_xact_lock(lockKey)` — if another process holds it, this tick
 * does nothing. A transaction-scoped lock, not a session lock: on a pooled connection a session
 * lock would outlive the job and stay with whichever request gets the connection next.
 *
 * Errors are logged and counted, never thrown: the next tick tries again. `afterCommit` is for work
 * that cannot run inside a transaction (DETACH PARTITION … CONCURRENTLY); it runs without the lock.
 */
import type { Db, Queryable } from '../db/adapter'

/** The part of a pino logger the jobs use. */
export interface JobLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface Job<T> {
  name: string
  intervalMs: number
  /** Advisory lock key, one per job (any constant, unique across Gemello). */
  lockKey: number
  run(tx: Queryable, nowMs: number): Promise<T>
  afterCommit?(result: T, nowMs: number): Promise<void>
  /** A one-line summary worth logging at info (null: nothing happened worth a line). */
  describe?(result: T): string | null
  /** True when the run left work behind (a full batch): the next tick starts at once, not after intervalMs. */
  more?(result: T): boolean
}

export interface JobStats {
  name: string
  runs: number
  /** Ticks that found the lock taken by another process. */
  skipped: number
  failures: number
  lastRunAtMs: number | null
  lastDurationMs: number | null
  lastError: string | null
}

export type TickOutcome = 'ran' | 'skipped' | 'failed'

export class JobLoop<T> {
  private timer: NodeJS.Timeout | null = null
  private more = false
  private running: Promise<TickOutcome> | null = null
  private stopped = false
  private readonly s: JobStats

  constructor(
    private readonly o: {
      db: Db
      log: JobLogger
      job: Job<T>
      /** Epoch ms; tests move it. */
      clock?: () => number
    },
  ) {
    this.s = { name: o.job.name, runs: 0, skipped: 0, failures: 0, lastRunAtMs: null, lastDurationMs: null, lastError: null }
  }

  /** Runs the first tick after `firstDelayMs` (default now), then one every intervalMs after the previous one ended. */
  start(firstDelayMs = 0): void {
    this.stopped = false
    this.schedule(firstDelayMs)
  }

  /** One tick: lock, run, commit, afterCommit. Resolves to what happened; never rejects. */
  runOnce(): Promise<TickOutcome> {
    if (this.running) return this.running
    this.running = this.tick().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** Stops scheduling and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running?.catch(() => undefined)
  }

  stats(): JobStats {
    return { ...this.s }
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.runOnce().then((outcome) => this.schedule(outcome === 'ran' && this.more ? 0 : this.o.job.intervalMs))
    }, ms)
    this.timer.unref()
  }

  private async tick(): Promise<TickOutcome> {
    const { db, log, job } = this.o
    const now = (this.o.clock ?? Date.now)()
    const t0 = performance.now()
    let phase = 'run'
    try {
      const outcome = await db.transaction(async (tx) => {
        const lock = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [job.lockKey])
        if (lock.rows[0]?.ok !== true) return { ran: false as const }
        return { ran: true as const, result: await job.run(tx, now) }
      })
      if (!outcome.ran) {
        this.s.skipped++
        return 'skipped'
      }
      phase = 'afterCommit'
      if (job.afterCommit) await job.afterCommit(outcome.result, now)
      this.more = job.more?.(outcome.result) ?? false
      this.s.runs++
      this.s.lastRunAtMs = now
      this.s.lastDurationMs = performance.now() - t0
      this.s.lastError = null
      const line = job.describe?.(outcome.result) ?? null
      if (line) log.info({ job: job.name, ms: Math.round(this.s.lastDurationMs) }, line)
      return 'ran'
    } catch (err) {
      this.s.failures++
      this.s.lastError = (err as Error).message ?? String(err)
      log.error({ job: job.name, phase, err: this.s.lastError }, `history job ${job.name} failed; it runs again in ${Math.round(job.intervalMs / 1000)} s`)
      return 'failed'
    }
  }
}
