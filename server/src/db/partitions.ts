/**
 * Range partitions of history (one per UTC day) and of the rollups (one per month, one per year):
 * which exist, creating the missing ones without blocking writers, and which have expired.
 * ADR 0004 §4; the partition, rollup and retention jobs (server/src/jobs/) call these.
 *
 * A partition is created as a plain table — `LIKE` the parent, plus the local unique
 * (device_id, stream, seq) index for history — and then ATTACHed: ATTACH takes SHARE UPDATE
 * EXCLUSIVE on the parent, which does not conflict with INSERT, whereas CREATE TABLE … PARTITION OF
 * would wait for (and then block) every writer. Under lock_timeout, each in its own savepoint: a
 * partition that cannot get its lock is left for the next run, the others still go in.
 * There is no DEFAULT partition: a reading for a day without a partition fails with 23514 and
 * the ingest quarantines it (db_rejected) — `partitionsAheadDays` is what alarms before that.
 */
import type { Queryable } from './adapter'
import { READING_TABLES } from './reading-tables'
import { rollupTableName } from './rollups'

export const DAY_MS = 86_400_000
/** History partitions are kept for [today − 8 d, today + 3 d]: the clock rule accepts readings 7 d behind and 10 min ahead. */
export const HISTORY_DAYS_BEHIND = 8
export const HISTORY_DAYS_AHEAD = 3
const LOCK_TIMEOUT = '2s'

export type PartitionUnit = 'day' | 'month' | 'year'

export interface PartitionedTable {
  parent: string
  unit: PartitionUnit
  /** History partitions carry the unique (device_id, stream, seq) index; a partitioned parent cannot. */
  seqIndex: boolean
  /** The value shape whose history or rollups this is. */
  shape: string
  role: 'raw' | '1m' | '1h'
}

export interface Partition {
  name: string
  /** Lower bound, epoch ms; null = MINVALUE. */
  fromMs: number | null
  /** Upper bound (exclusive), epoch ms; null = MAXVALUE. */
  toMs: number | null
  /** A DETACH … CONCURRENTLY was interrupted: it must be finalized. */
  detachPending: boolean
}

/** Every partitioned table Gemello maintains: the history tables, then their 1-min and 1-h rollups. */
export function partitionedTables(): PartitionedTable[] {
  const tables = Object.values(READING_TABLES)
  return [
    ...tables.map((t): PartitionedTable => ({ parent: t.table, unit: 'day', seqIndex: true, shape: t.shape, role: 'raw' })),
    ...tables.map((t): PartitionedTable => ({ parent: rollupTableName(t, '1m'), unit: 'month', seqIndex: false, shape: t.shape, role: '1m' })),
    ...tables.map((t): PartitionedTable => ({ parent: rollupTableName(t, '1h'), unit: 'year', seqIndex: false, shape: t.shape, role: '1h' })),
  ]
}

/** The partitions of a parent, oldest first. Takes an ACCESS SHARE lock on each partition (pg_get_expr opens it). */
export async function listPartitions(q: Queryable, parent: string): Promise<Partition[]> {
  const r = await q.query<{ name: string; from_ms: number | null; to_ms: number | null; detach_pending: boolean }>(
    `SELECT c.relname AS name, i.inhdetachpending AS detach_pending,
            CASE WHEN b[1] = 'MINVALUE' THEN NULL ELSE (extract(epoch FROM btrim(b[1], '''')::timestamptz) * 1000)::float8 END AS from_ms,
            CASE WHEN b[2] = 'MAXVALUE' THEN NULL ELSE (extract(epoch FROM btrim(b[2], '''')::timestamptz) * 1000)::float8 END AS to_ms
     FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid
     CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\((.+)\\) TO \\((.+)\\)') AS b
     WHERE i.inhparent = $1::regclass AND b IS NOT NULL`,
    [parent],
  )
  return r.rows
    .map((p) => ({ name: p.name, fromMs: p.from_ms === null ? null : Number(p.from_ms), toMs: p.to_ms === null ? null : Number(p.to_ms), detachPending: p.detach_pending }))
    .sort((a, b) => (a.fromMs ?? -Infinity) - (b.fromMs ?? -Infinity))
}

/** Start of the unit (UTC) that contains `ms`. */
export function unitStart(unit: PartitionUnit, ms: number): number {
  const d = new Date(ms)
  if (unit === 'day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  return Date.UTC(d.getUTCFullYear(), 0, 1)
}

/** Start of the unit after the one that contains `ms`. */
export function nextUnitStart(unit: PartitionUnit, ms: number): number {
  const d = new Date(unitStart(unit, ms))
  if (unit === 'day') return d.getTime() + DAY_MS
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
  return Date.UTC(d.getUTCFullYear() + 1, 0, 1)
}

/** `<parent>_pYYYYMMDD`, `_pYYYYMM` or `_pYYYY`. */
export function partitionName(table: PartitionedTable, fromMs: number): string {
  const digits = new Date(fromMs).toISOString().slice(0, 10).replaceAll('-', '')
  return `${table.parent}_p${digits.slice(0, table.unit === 'day' ? 8 : table.unit === 'month' ? 6 : 4)}`
}

/** The parts of [fromMs, toMs) no partition covers, split at unit boundaries. */
export function missingRanges(existing: Partition[], unit: PartitionUnit, fromMs: number, toMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let u = unitStart(unit, fromMs); u < toMs; u = nextUnitStart(unit, u)) {
    let gaps: Array<[number, number]> = [[u, nextUnitStart(unit, u)]]
    for (const p of existing) {
      const lo = p.fromMs ?? -Infinity
      const hi = p.toMs ?? Infinity
      gaps = gaps.flatMap(([a, b]): Array<[number, number]> => {
        if (hi <= a || lo >= b) return [[a, b]]
        const parts: Array<[number, number]> = []
        if (lo > a) parts.push([a, lo])
        if (hi < b) parts.push([hi, b])
        return parts
      })
    }
    out.push(...gaps)
  }
  return out
}

export interface EnsureReport {
  created: string[]
  /** Partitions (or a parent, when its partitions could not even be listed) not created this time (lock timeout, …): retried by the next run. */
  failed: Array<{ name: string; error: string }>
}

/**
 * Creates the partitions of `table` missing in [fromMs, toMs), in the caller's transaction, each in
 * its own savepoint under lock_timeout (which stays set for the rest of the transaction).
 */
export async function createMissingPartitions(tx: Queryable, table: PartitionedTable, fromMs: number, toMs: number): Promise<EnsureReport> {
  const report: EnsureReport = { created: [], failed: [] }
  await tx.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`)
  // Reading the bounds takes a share lock on each partition (pg_get_expr): it too may time out.
  await tx.query('SAVEPOINT gemello_partition')
  let missing: Array<[number, number]>
  try {
    missing = missingRanges(await listPartitions(tx, table.parent), table.unit, fromMs, toMs)
    await tx.query('RELEASE SAVEPOINT gemello_partition')
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT gemello_partition')
    report.failed.push({ name: table.parent, error: (err as Error).message })
    return report
  }
  for (const [from, to] of missing) {
    const name = partitionName(table, from)
    await tx.query('SAVEPOINT gemello_partition')
    try {
      await tx.query(`CREATE TABLE ${name} (LIKE ${table.parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`)
      if (table.seqIndex) await tx.query(`CREATE UNIQUE INDEX ${name}_seq_key ON ${name} (device_id, stream, seq)`)
      await tx.query(`ALTER TABLE ${table.parent} ATTACH PARTITION ${name} FOR VALUES FROM ('${new Date(from).toISOString()}') TO ('${new Date(to).toISOString()}')`)
      await tx.query('RELEASE SAVEPOINT gemello_partition')
      report.created.push(name)
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT gemello_partition')
      report.failed.push({ name, error: (err as Error).message })
    }
  }
  return report
}

/**
 * Keeps history partitions for [today − 8 d, today + 3 d] and the rollup partitions (month, year)
 * those days fall in. Idempotent; what already exists is left alone.
 */
export async function ensurePartitions(tx: Queryable, nowMs: number): Promise<EnsureReport> {
  const today = unitStart('day', nowMs)
  const from = today - HISTORY_DAYS_BEHIND * DAY_MS
  const to = today + (HISTORY_DAYS_AHEAD + 1) * DAY_MS
  const report: EnsureReport = { created: [], failed: [] }
  for (const table of partitionedTables()) {
    const r = await createMissingPartitions(tx, table, from, to)
    report.created.push(...r.created)
    report.failed.push(...r.failed)
  }
  return report
}

/**
 * Days of history partitions ahead of now, over the history table with the fewest: the contiguous
 * coverage from now on, in days (0 when now itself has no partition). For the metric
 * `gemello_partitions_ahead_days`; < 2 means the partition job has not run for a day and should alarm.
 */
export async function partitionsAheadDays(q: Queryable, nowMs: number = Date.now()): Promise<number> {
  let min = Infinity
  for (const table of partitionedTables().filter((t) => t.role === 'raw')) {
    const parts = (await listPartitions(q, table.parent)).filter((p) => !p.detachPending)
    let end = nowMs
    for (;;) {
      const next = parts.find((p) => (p.fromMs ?? -Infinity) <= end && (p.toMs ?? Infinity) > end)
      if (!next) break
      end = next.toMs ?? Infinity
      if (end === Infinity) break
    }
    min = Math.min(min, (end - nowMs) / DAY_MS)
  }
  return min === Infinity ? 0 : min
}

/** Lower bound of the oldest partition of a history table, epoch ms: -Infinity while the legacy partition is there. */
export async function oldestPartitionStartMs(q: Queryable, parent: string): Promise<number> {
  const parts = (await listPartitions(q, parent)).filter((p) => !p.detachPending)
  const first = parts[0]
  if (!first) return Infinity
  return first.fromMs ?? -Infinity
}

export interface ExpiredPartition {
  table: PartitionedTable
  partition: Partition
}

/**
 * Partitions whose upper bound is at or before `cutoffMs` for their table's role — and, for history,
 * only when rollup_queue holds nothing older than that bound for the shape (the rollup job still
 * has to read those days). Interrupted concurrent detaches are listed too, to be finished.
 */
export async function expiredPartitions(q: Queryable, cutoffMs: Record<PartitionedTable['role'], number>): Promise<ExpiredPartition[]> {
  const out: ExpiredPartition[] = []
  for (const table of partitionedTables()) {
    const cutoff = cutoffMs[table.role]
    const parts = await listPartitions(q, table.parent)
    const old = parts.filter((p) => p.detachPending || (p.toMs !== null && p.toMs <= cutoff))
    if (old.length === 0) continue
    let queuedBeforeMs = Infinity
    if (table.role === 'raw') {
      const r = await q.query<{ ms: number | null }>(
        `SELECT (extract(epoch FROM min(min_bucket)) * 1000)::float8 AS ms FROM rollup_queue WHERE shape = $1`,
        [table.shape],
      )
      const ms = r.rows[0]?.ms
      queuedBeforeMs = ms === null || ms === undefined ? Infinity : Number(ms)
    }
    for (const p of old) if (p.detachPending || (p.toMs !== null && p.toMs <= queuedBeforeMs)) out.push({ table, partition: p })
  }
  return out
}

/** Detaches and drops a partition in the caller's transaction (plain DETACH: the engine has no concurrent one). */
export async function dropPartitionInTransaction(tx: Queryable, e: ExpiredPartition): Promise<void> {
  await tx.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`)
  if (e.partition.detachPending) await tx.query(`ALTER TABLE ${e.table.parent} DETACH PARTITION ${e.partition.name} FINALIZE`)
  else await tx.query(`ALTER TABLE ${e.table.parent} DETACH PARTITION ${e.partition.name}`)
  await tx.query(`DROP TABLE ${e.partition.name}`)
}

/**
 * Detaches a partition with DETACH … CONCURRENTLY (outside any transaction: it waits for the
 * queries that use the partition instead of blocking the writers), then drops it.
 */
export async function dropPartitionConcurrently(db: Queryable, e: ExpiredPartition): Promise<void> {
  const finalize = e.partition.detachPending ? 'FINALIZE' : 'CONCURRENTLY'
  await db.query(`ALTER TABLE ${e.table.parent} DETACH PARTITION ${e.partition.name} ${finalize}`)
  await db.query(`DROP TABLE ${e.partition.name}`)
}
