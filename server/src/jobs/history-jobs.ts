/**
 * The history jobs of an ingest process (ADR 0004 §4): partitions (every 10 min), rollups (every
 * 10 s), retention (hourly). Each tick is one transaction under its own advisory lock, so any
 * number of processes may run them. The one entry point the composition root calls.
 */
import type { Db } from '../db/adapter'
import { JobLoop, type JobLogger, type JobStats } from './job-loop'
import { PARTITION_INTERVAL_MS, partitionJob } from './partition-job'
import { resolveRetentionPolicy, retentionJob, type RetentionPolicy } from './retention-job'
import { rollupJob } from './rollup-job'

export interface HistoryJobsOptions {
  db: Db
  log: JobLogger
  /** Days kept: raw ≥ 8 (default 30), 1-min rollups (90), 1-h rollups (3650). */
  policy?: Partial<RetentionPolicy>
  /** Epoch ms; tests move it. */
  clock?: () => number
  intervalsMs?: Partial<{ partitions: number; rollups: number; retention: number }>
}

export interface HistoryJobs {
  /** Resolves once the partition job has run once (whatever its outcome). */
  ready: Promise<void>
  stats(): JobStats[]
  stop(): Promise<void>
}

/** Validates the policy (throws a message naming the setting) and starts the three loops. */
export function startHistoryJobs(o: HistoryJobsOptions): HistoryJobs {
  const policy = resolveRetentionPolicy(o.policy)
  const clock = o.clock ?? Date.now
  const partitions = new JobLoop({ db: o.db, log: o.log, clock, job: partitionJob(o.intervalsMs?.partitions ?? PARTITION_INTERVAL_MS) })
  const rollups = new JobLoop({ db: o.db, log: o.log, clock, job: rollupJob(o.intervalsMs?.rollups) })
  const retention = new JobLoop({ db: o.db, log: o.log, clock, job: retentionJob({ db: o.db, policy, intervalMs: o.intervalsMs?.retention }) })
  const ready = partitions.runOnce().then(() => undefined)
  // Partitions first, so that the other two never meet a missing one at boot.
  void ready.then(() => {
    partitions.start(o.intervalsMs?.partitions ?? PARTITION_INTERVAL_MS)
    rollups.start()
    retention.start()
  })
  let stopped: Promise<void> | null = null
  return {
    ready,
    stats: () => [partitions.stats(), rollups.stats(), retention.stats()],
    stop: () => {
      stopped ??= (async () => {
        await ready
        await Promise.all([partitions.stop(), rollups.stop(), retention.stop()])
      })()
      return stopped
    },
  }
}
