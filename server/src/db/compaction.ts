/**
 * Compaction of closed history partitions (ADR 0004 §4, docs/history.md): readings are stored in
 * arrival order — a minute of every device per run of pages — so one device's day is one heap page
 * per reading. Once no reading can land in a day any more (older than the 7 days the ingest accepts:
 * upper bound ≤ today − HISTORY_DAYS_BEHIND), the day is rewritten in key order (device, stream,
 * time), so that one device's day is a few consecutive pages instead of 1,440 scattered ones.
 *
 * Not CLUSTER: CLUSTER holds ACCESS EXCLUSIVE on the partition for the whole rewrite, and the rare
 * lookups that span every partition (a re-used seq, ADR 0004 §4) would queue the ingest behind it.
 * Instead a copy is built beside the partition while readers and writers go on (ACCESS SHARE), then
 * swapped in one short step: DETACH the old (ACCESS EXCLUSIVE on the parent for milliseconds, under
 * lock_timeout), ATTACH the copy — its CHECK constraint spares ATTACH the validation scan — DROP the
 * old, rename. All in the job's transaction: a failure anywhere leaves the old partition as it was.
 * A compacted partition carries a table comment `gemello:compacted {…}`; it is not compacted again.
 */
import type { Queryable } from './adapter'
import { DAY_MS, HISTORY_DAYS_BEHIND, listPartitions, partitionedTables, unitStart, type Partition, type PartitionedTable } from './partitions'

const MARK = 'gemello:compacted'
const SWAP_LOCK_TIMEOUT = '2s'
const SORT_MEM = '256MB'

export interface CompactionCandidate {
  table: PartitionedTable
  partition: Partition
}

export interface Compacted {
  name: string
  rows: number
  /** Wall time of the copy and the index builds, ms. */
  buildMs: number
  /** Wall time of the swap (DETACH … rename), ms: how long writers of the parent could have waited. */
  swapMs: number
}

/** Whether a partition carries the compaction mark. */
async function isCompacted(q: Queryable, name: string): Promise<boolean> {
  const r = await q.query<{ c: string | null }>(`SELECT obj_description($1::regclass, 'pg_class') AS c`, [name])
  return (r.rows[0]?.c ?? '').startsWith(MARK)
}

/**
 * History partitions no reading can reach any more (upper bound ≤ today − 8 d), not yet compacted,
 * not about to expire (upper bound > `expiresAtOrBeforeMs`, the raw retention cutoff) — newest first:
 * the days just closed are the ones most read.
 */
export async function compactionCandidates(q: Queryable, nowMs: number, expiresAtOrBeforeMs: number): Promise<CompactionCandidate[]> {
  const closedBefore = unitStart('day', nowMs) - HISTORY_DAYS_BEHIND * DAY_MS
  const out: CompactionCandidate[] = []
  for (const table of partitionedTables().filter((t) => t.role === 'raw')) {
    for (const p of await listPartitions(q, table.parent)) {
      if (p.detachPending || p.toMs === null || p.toMs > closedBefore || p.toMs <= expiresAtOrBeforeMs) continue
      if (!(await isCompacted(q, p.name))) out.push({ table, partition: p })
    }
  }
  return out.sort((a, b) => b.partition.toMs! - a.partition.toMs! || a.table.parent.localeCompare(b.table.parent))
}

const iso = (ms: number) => `'${new Date(ms).toISOString()}'`

/**
 * Rewrites one partition in key order, in the caller's transaction (see the file comment). Throws
 * when the swap cannot get its lock within lock_timeout; the caller's rollback then leaves
 * everything as it was.
 */
export async function compactPartition(tx: Queryable, c: CompactionCandidate, nowMs: number): Promise<Compacted> {
  const { parent } = c.table
  const { name, fromMs, toMs } = c.partition
  if (toMs === null) throw new Error(`compaction: ${name} has no upper bound`)
  const tmp = `${name}_compacting`
  const lower = fromMs === null ? 'MINVALUE' : iso(fromMs)
  // Through the parent, bounded by the partition's range: the parent's column order, whatever the
  // partition's own (the legacy partition was attached from an older table).
  const where = `${fromMs === null ? '' : `observed_at >= ${iso(fromMs)} AND `}observed_at < ${iso(toMs)}`
  const t0 = performance.now()
  // The sort and the index builds of a day (14 M rows at 10,000 devices × 60 s) in memory rather than in many temp-file runs.
  await tx.query(`SET LOCAL work_mem = '${SORT_MEM}'`)
  await tx.query(`SET LOCAL maintenance_work_mem = '${SORT_MEM}'`)
  await tx.query(`CREATE TABLE ${tmp} (LIKE ${parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`)
  const ins = await tx.query(`INSERT INTO ${tmp} SELECT * FROM ${parent} WHERE ${where} ORDER BY device_id, stream, observed_at`)
  await tx.query(`ALTER TABLE ${tmp} ADD CONSTRAINT ${tmp}_range CHECK (${where})`)
  // A constraint, not a bare unique index: ATTACH matches the parent's primary key only with one.
  await tx.query(`ALTER TABLE ${tmp} ADD CONSTRAINT ${tmp}_pkey PRIMARY KEY (device_id, stream, observed_at)`)
  if (c.table.seqIndex) await tx.query(`CREATE UNIQUE INDEX ${tmp}_seq ON ${tmp} (device_id, stream, seq)`)
  const t1 = performance.now()
  await tx.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`)
  await tx.query(`ALTER TABLE ${parent} DETACH PARTITION ${name}`)
  await tx.query(`ALTER TABLE ${parent} ATTACH PARTITION ${tmp} FOR VALUES FROM (${lower}) TO (${iso(toMs)})`)
  await tx.query(`DROP TABLE ${name}`)
  await tx.query(`ALTER TABLE ${tmp} RENAME TO ${name}`)
  await tx.query(`ALTER TABLE ${name} DROP CONSTRAINT ${tmp}_range`)
  await tx.query(`ALTER INDEX ${tmp}_pkey RENAME TO ${name}_pkey`)
  if (c.table.seqIndex) await tx.query(`ALTER INDEX ${tmp}_seq RENAME TO ${name}_seq_key`)
  const rows = ins.rowCount ?? 0
  await markCompacted(tx, name, nowMs, rows)
  const t2 = performance.now()
  return { name, rows, buildMs: t1 - t0, swapMs: t2 - t1 }
}

/** Whether a partition holds no row (a closed empty day is marked, not rewritten). */
export async function isEmptyPartition(q: Queryable, name: string): Promise<boolean> {
  const r = await q.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${name}) AS any`)
  return r.rows[0]?.any !== true
}

/** Puts the compaction mark on a partition: the job leaves it alone from then on. */
export async function markCompacted(tx: Queryable, name: string, nowMs: number, rows: number): Promise<void> {
  await tx.query(`COMMENT ON TABLE ${name} IS '${MARK} ${JSON.stringify({ at: new Date(nowMs).toISOString(), rows })}'`)
}
