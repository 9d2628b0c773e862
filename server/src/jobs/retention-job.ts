/**
 * Retention by DROP (ADR 0004 §4): raw history partitions go when their upper bound is older than
 * `rawDays` (and rollup_queue no longer needs their days), 1-min rollup partitions after
 * `oneMinuteDays`, 1-h ones after `oneHourDays`. On an engine with DETACH … CONCURRENTLY the
 * detach runs after the job's transaction, so that it waits for readers instead of blocking
 * writers; otherwise (PGlite: one connection) a plain DETACH in the transaction.
 */
import type { Db } from '../db/adapter'
import { DAY_MS, HISTORY_DAYS_BEHIND, dropPartitionConcurrently, dropPartitionInTransaction, expiredPartitions, unitStart, type ExpiredPartition } from '../db/partitions'
import type { Job } from './job-loop'

export const RETENTION_JOB_LOCK = 74_290_013

export interface RetentionPolicy {
  /** Days of raw history kept before today (HISTORY_RAW_DAYS). */
  rawDays: number
  /** Days of 1-min rollups (HISTORY_1M_DAYS). */
  oneMinuteDays: number
  /** Days of 1-h rollups (HISTORY_1H_DAYS). */
  oneHourDays: number
}

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = { rawDays: 30, oneMinuteDays: 90, oneHourDays: 3650 }
/** A reading may be up to 7 days late and partitions reach 8 days back: raw may not be dropped sooner. */
export const MIN_RAW_DAYS = HISTORY_DAYS_BEHIND

/** The policy with defaults filled in; throws, saying what to change, when it cannot work. */
export function resolveRetentionPolicy(p: Partial<RetentionPolicy> = {}): RetentionPolicy {
  const policy = { ...DEFAULT_RETENTION_POLICY, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) } as RetentionPolicy
  const names: Record<keyof RetentionPolicy, string> = { rawDays: 'HISTORY_RAW_DAYS', oneMinuteDays: 'HISTORY_1M_DAYS', oneHourDays: 'HISTORY_1H_DAYS' }
  for (const key of Object.keys(names) as Array<keyof RetentionPolicy>) {
    const v = policy[key]
    if (!Number.isInteger(v) || v < 1) throw new Error(`History retention: ${names[key]} (${key}) must be a whole number of days ≥ 1, got ${String(v)}.`)
  }
  if (policy.rawDays < MIN_RAW_DAYS) {
    throw new Error(`History retention: ${names.rawDays} (rawDays) must be at least ${MIN_RAW_DAYS} days, got ${policy.rawDays}: readings up to 7 days late are accepted and their partitions must still exist.`)
  }
  if (policy.oneMinuteDays < policy.rawDays) {
    throw new Error(`History retention: ${names.oneMinuteDays} (${policy.oneMinuteDays}) must be at least ${names.rawDays} (${policy.rawDays}): 1-min history is served from the rollups.`)
  }
  if (policy.oneHourDays < policy.oneMinuteDays) {
    throw new Error(`History retention: ${names.oneHourDays} (${policy.oneHourDays}) must be at least ${names.oneMinuteDays} (${policy.oneMinuteDays}).`)
  }
  return policy
}

/** Upper bounds at or before which partitions expire, per table role. */
export function retentionCutoffs(policy: RetentionPolicy, nowMs: number): Record<'raw' | '1m' | '1h', number> {
  const today = unitStart('day', nowMs)
  return { raw: today - policy.rawDays * DAY_MS, '1m': today - policy.oneMinuteDays * DAY_MS, '1h': today - policy.oneHourDays * DAY_MS }
}

export interface RetentionRun {
  /** Dropped in the transaction. */
  dropped: string[]
  /** To detach concurrently and drop after the transaction. */
  pending: ExpiredPartition[]
  failed: Array<{ name: string; error: string }>
}

export function retentionJob(o: { db: Db; policy: RetentionPolicy; intervalMs?: number }): Job<RetentionRun> {
  const concurrent = o.db.capabilities.detachConcurrently
  return {
    name: 'retention',
    intervalMs: o.intervalMs ?? 60 * 60_000,
    lockKey: RETENTION_JOB_LOCK,
    run: async (tx, nowMs) => {
      const expired = await expiredPartitions(tx, retentionCutoffs(o.policy, nowMs))
      const run: RetentionRun = { dropped: [], pending: [], failed: [] }
      if (concurrent) {
        run.pending = expired
        return run
      }
      for (const e of expired) {
        await tx.query('SAVEPOINT gemello_retention')
        try {
          await dropPartitionInTransaction(tx, e)
          await tx.query('RELEASE SAVEPOINT gemello_retention')
          run.dropped.push(e.partition.name)
        } catch (err) {
          await tx.query('ROLLBACK TO SAVEPOINT gemello_retention')
          run.failed.push({ name: e.partition.name, error: (err as Error).message })
        }
      }
      return run
    },
    afterCommit: async (run) => {
      for (const e of run.pending) {
        try {
          await dropPartitionConcurrently(o.db, e)
          run.dropped.push(e.partition.name)
        } catch (err) {
          // Another process may be dropping the same partition; an interrupted detach is finalized next run.
          run.failed.push({ name: e.partition.name, error: (err as Error).message })
        }
      }
    },
    describe: (r) => {
      const parts: string[] = []
      if (r.dropped.length > 0) parts.push(`dropped ${r.dropped.join(', ')}`)
      if (r.failed.length > 0) parts.push(`could not drop ${r.failed.map((f) => `${f.name}: ${f.error}`).join('; ')} — retried next run`)
      return parts.length > 0 ? `retention: ${parts.join('; ')}` : null
    },
  }
}
