/**
 * Compacts one closed history partition per tick (server/src/db/compaction.ts): the newest day no
 * reading can reach any more is rewritten in key order, so that "one device, one day" reads a few
 * pages instead of one per reading. Closed days without a row are only marked, all in the same tick. After the commit, VACUUM (FREEZE, ANALYZE) of the new table:
 * statistics for the planner, and its pages frozen once instead of by a later anti-wraparound pass.
 */
import type { Db } from '../db/adapter'
import { compactionCandidates, compactPartition, isEmptyPartition, markCompacted, type Compacted } from '../db/compaction'
import type { Job } from './job-loop'
import { retentionCutoffs, type RetentionPolicy } from './retention-job'

export const COMPACTION_JOB_LOCK = 74_290_014
export const COMPACTION_INTERVAL_MS = 10 * 60_000

export interface CompactionRun {
  compacted: Compacted | null
  /** Closed partitions without a row, marked this tick. */
  markedEmpty: number
  /** Closed partitions still waiting after this tick. */
  waiting: number
}

export function compactionJob(o: { db: Db; policy: RetentionPolicy; intervalMs?: number }): Job<CompactionRun> {
  return {
    name: 'compaction',
    intervalMs: o.intervalMs ?? COMPACTION_INTERVAL_MS,
    lockKey: COMPACTION_JOB_LOCK,
    run: async (tx, nowMs) => {
      const run: CompactionRun = { compacted: null, markedEmpty: 0, waiting: 0 }
      for (const c of await compactionCandidates(tx, nowMs, retentionCutoffs(o.policy, nowMs).raw)) {
        if (await isEmptyPartition(tx, c.partition.name)) {
          await markCompacted(tx, c.partition.name, nowMs, 0)
          run.markedEmpty++
        } else if (run.compacted === null) run.compacted = await compactPartition(tx, c, nowMs)
        else run.waiting++
      }
      return run
    },
    afterCommit: async (run) => {
      if (run.compacted) await o.db.query(`VACUUM (FREEZE, ANALYZE) ${run.compacted.name}`)
    },
    describe: (r) =>
      r.compacted
        ? `compaction: rewrote ${r.compacted.name} in key order (${r.compacted.rows} rows; copy and indexes ${Math.round(r.compacted.buildMs)} ms, swap ${Math.round(r.compacted.swapMs)} ms); ${r.waiting} closed partitions waiting`
        : r.markedEmpty > 0
          ? `compaction: marked ${r.markedEmpty} closed empty partitions`
          : null,
  }
}
