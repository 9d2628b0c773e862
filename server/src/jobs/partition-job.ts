/**
 * Keeps history partitions for [today − 8 d, today + 3 d] and the rollup partitions of those days
 * (server/src/db/partitions.ts). Cheap when nothing is missing (one catalog query per table).
 */
import { ensurePartitions, type EnsureReport } from '../db/partitions'
import type { Job } from './job-loop'

export const PARTITION_JOB_LOCK = 74_290_011
export const PARTITION_INTERVAL_MS = 10 * 60_000

export function partitionJob(intervalMs = PARTITION_INTERVAL_MS): Job<EnsureReport> {
  return {
    name: 'partitions',
    intervalMs,
    lockKey: PARTITION_JOB_LOCK,
    run: (tx, nowMs) => ensurePartitions(tx, nowMs),
    describe: (r) => {
      const parts: string[] = []
      if (r.created.length > 0) parts.push(`created ${r.created.length} partitions (${r.created.join(', ')})`)
      if (r.failed.length > 0) parts.push(`could not create ${r.failed.map((f) => `${f.name}: ${f.error}`).join('; ')} — retried next run`)
      return parts.length > 0 ? `partitions: ${parts.join('; ')}` : null
    },
  }
}
