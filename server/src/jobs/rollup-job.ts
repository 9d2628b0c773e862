/**
 * Works off rollup_queue (every 10 s, and again at once after a full claim): claims the oldest rows, makes sure the rollup partitions of
 * their buckets exist, recomputes the touched 1-min and 1-h buckets, deletes the rows — all in the
 * job's one transaction (server/src/db/rollups.ts).
 */
import type { Queryable } from '../db/adapter'
import { createMissingPartitions, nextUnitStart, partitionedTables, type EnsureReport } from '../db/partitions'
import { applyRollups, claimRollupQueue, queuedMonths, rangeSpan, ROLLUP_BATCH, type RollupRunStats } from '../db/rollups'
import type { Job } from './job-loop'

export const ROLLUP_JOB_LOCK = 74_290_012

export interface RollupRun extends RollupRunStats {
  partitions: EnsureReport
}

/** One rollup run in the caller's transaction. */
export async function runRollups(tx: Queryable, limit = ROLLUP_BATCH): Promise<RollupRun> {
  const claimed = await claimRollupQueue(tx, limit)
  const partitions: EnsureReport = { created: [], failed: [] }
  const need = async (shape: string, fromMs: number, toMs: number) => {
    for (const t of partitionedTables().filter((x) => x.shape === shape && x.role !== 'raw')) {
      const r = await createMissingPartitions(tx, t, fromMs, toMs)
      partitions.created.push(...r.created)
      partitions.failed.push(...r.failed)
    }
  }
  for (const [shape, ids] of claimed.batches) {
    for (const month of await queuedMonths(tx, shape, ids)) await need(shape, month, nextUnitStart('month', month))
  }
  if (claimed.range) {
    const span = await rangeSpan(tx, claimed.range)
    if (span) await need(claimed.range.shape, span[0], span[1] + 1)
  }
  if (partitions.failed.length > 0) {
    // Without its partitions the upsert would fail; leave the queue as it is for the next run.
    return { queueRows: 0, minuteBuckets: 0, hourBuckets: 0, partitions }
  }
  return { ...(await applyRollups(tx, claimed)), partitions }
}

export function rollupJob(intervalMs = 10_000, limit = ROLLUP_BATCH): Job<RollupRun> {
  return {
    name: 'rollups',
    intervalMs,
    lockKey: ROLLUP_JOB_LOCK,
    run: (tx) => runRollups(tx, limit),
    // Above `limit` ingest batches per interval (≈ 50/s by default) one claim a tick would fall behind
    // for good: a full claim runs the next one at once.
    more: (r) => r.queueRows >= limit,
    describe: (r) =>
      r.partitions.failed.length > 0
        ? `rollups: waiting for partitions (${r.partitions.failed.map((f) => `${f.name}: ${f.error}`).join('; ')})`
        : r.partitions.created.length > 0
          ? `rollups: created partitions ${r.partitions.created.join(', ')}`
          : null,
  }
}
