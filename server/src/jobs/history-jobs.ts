/**
 * The history jobs of an ingest process (ADR 0004 §4): partitions (every 10 min), rollups (every
 * 10 s), retention (hourly), compaction of closed days (every 10 min, one partition per tick). Each
 * tick is one transaction under its own advisory lock, so any number of processes may run them. The one entry point the composition root calls.
 */
import type { Db } from '../db/adapter'
import { COMPACTION_INTERVAL_MS, compactionJob } from './compaction-job'
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
  intervalsMs?: Partial<{ partitions: number; rollups: number; retention: number; compaction: number }>
}

export interface HistoryJobs {
  /** Resolves once the partition job has run once (whatever its outcome). */
  ready: Promise<void>
  stats(): JobStats[]
  stop(): Promise<void>
}

/** Validates the policy (throws a message naming the setting) and starts the four loops. */
export function startHistoryJobs(o: HistoryJobsOptions): HistoryJobs {
  const policy = resolveRetentionPolicy(o.policy)
  const clock = o.clock ?? Date.now
  const partitions = new JobLoop({ db: o.db, log: o.log, clock, job: partitionJob(o.intervalsMs?.partitions ?? PARTITION_INTERVAL_MS) })
  const rollups = new JobLoop({ db: o.db, log: o.log, clock, job: rollupJob(o.intervalsMs?.rollups) })
  const retention = new JobLoop({ db: o.db, log: o.log, clock, job: retentionJob({ db: o.db, policy, intervalMs: o.intervalsMs?.retention }) })
  const compaction = new JobLoop({ db: o.db, log: o.log, clock, job: compactionJob({ db: o.db, policy, intervalMs: o.intervalsMs?.compaction }) })
  const ready = partitions.runOnce().then(() => undefined)
  // Partitions first, so that the others never meet a missing one at boot.
  void ready.then(() => {
    partitions.start(o.intervalsMs?.partitions ?? PARTITION_INTERVAL_MS)
    rollups.start()
    retention.start()
    // Not at boot: a restart is not the moment to rewrite a day.
    compaction.start(o.intervalsMs?.compaction ?? COMPACTION_INTERVAL_MS)
  })
  let stopped: Promise<void> | null = null
  return {
    ready,
    stats: () => [partitions.stats(), rollups.stats(), retention.stats(), compaction.stats()],
    stop: () => {
      stopped ??= (async () => {
        await ready
        await Promise.all([partitions.stop(), rollups.stop(), retention.stop(), compaction.stop()])
      })()
      return stopped
    },
  }
}
