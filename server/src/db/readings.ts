/**
 * The ingest's write path: one batch of messages → one transaction.
 *
 * Per history table, one statement with one JSON parameter (docs/adr/0003): insert into history
 * ON CONFLICT DO NOTHING (idempotent on (device, stream, observedAt) and on (device, stream, seq)
 * within a day partition), refusing a reading whose seq the latest state already holds at an
 * earlier time (the order guard: a re-stamped seq across days, ADR 0004 §4), then move
 * latest_state forward — only in time, never to a clock-skewed reading — and enqueue the touched
 * 1-min buckets for the rollups. When the row count says something was already there, the stored
 * rows are read back and compared: identical → a harmless duplicate; different → an
 * ingest_conflict row and a device flag. The rare rows (conflicts, flags, quarantine,
 * registrations) use plain unnest() arrays.
 */
import type { DeviceKind } from '../../../contracts/schemas/device'
import type { ValueShape } from '../../../contracts/schemas/reading'
import type { QuarantineReason } from '../../../contracts/schemas/quarantine'
import type { Queryable } from './adapter'
import { READING_TABLES, sameStoredValue, type MetricColumn, type ReadingTable } from './reading-tables'
import { bucketSql } from './rollups'

export type StoredQuality = 'good' | 'uncertain' | 'bad' | 'clock_skew_future'

export interface ValidReading {
  deviceId: string
  kind: DeviceKind
  stream: string
  shape: ValueShape
  seq: number | null
  observedAtMs: number
  receivedAtMs: number
  quality: StoredQuality
  values: Record<string, unknown>
}

export interface QuarantineRow {
  receivedAtMs: number
  topic: string
  clientId: string | null
  reason: QuarantineReason
  detail: string
  /** At most 64 KiB of the payload. */
  raw: Buffer
  payloadBytes: number
  sha256: string
}

export interface RegistrationRow {
  deviceId: string
  kind: DeviceKind
  name: string
  position: [number, number]
  expectedIntervalS: number
  props: Record<string, unknown>
}

export interface DeviceFlagRow {
  deviceId: string
  flag: 'clock_skew_future' | 'conflicting_duplicate'
  atMs: number
  detail: Record<string, unknown>
}

export interface ConflictRow {
  deviceId: string
  stream: string
  observedAtMs: number
  seq: number | null
  receivedAtMs: number
  kind: 'value_mismatch' | 'seq_reused'
  existing: Record<string, unknown>
  incoming: Record<string, unknown>
}

export interface BatchInput {
  readings: ValidReading[]
  quarantine: QuarantineRow[]
  registrations: RegistrationRow[]
}

export interface BatchOutcome {
  inserted: number
  duplicates: number
  conflicts: ConflictRow[]
  /**
   * The newest stored reading per stream of this batch (not clock-skewed): candidates for the live
   * map, which, like latest_state, keeps a reading only if it is newer than what it shows.
   */
  latest: ValidReading[]
  quarantined: number
  registered: number
}

const keyOf = (r: { deviceId: string; stream: string; observedAtMs: number }) => `${r.deviceId}\u0000${r.stream}\u0000${r.observedAtMs}`

/**
 * Rows are written in key order, so that two transactions writing at once take their row and
 * index locks in the same order and cannot deadlock (ids are ASCII: JS order = C collation order).
 */
const byKey = (a: { deviceId: string; stream: string; observedAtMs: number }, b: { deviceId: string; stream: string; observedAtMs: number }) =>
  a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.observedAtMs - b.observedAtMs

/** Writes one batch in the caller's transaction. */
export async function writeBatch(tx: Queryable, input: BatchInput): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { inserted: 0, duplicates: 0, conflicts: [], latest: [], quarantined: 0, registered: 0 }
  if (input.registrations.length > 0) outcome.registered = await upsertRegistrations(tx, input.registrations)

  const flags: DeviceFlagRow[] = []
  const inserted: ValidReading[] = []
  const byTable = new Map<ReadingTable, ValidReading[]>()
  for (const r of input.readings) {
    const t = READING_TABLES[r.shape]
    const list = byTable.get(t)
    if (list) list.push(r)
    else byTable.set(t, [r])
  }
  for (const [table, rows] of byTable) {
    // Within one batch the same key can arrive twice (a QoS 1 resend): keep the first, judge the rest.
    const first = new Map<string, ValidReading>()
    const laterInBatch: ValidReading[] = []
    for (const r of rows) {
      const k = keyOf(r)
      if (first.has(k)) laterInBatch.push(r)
      else first.set(k, r)
    }
    const unique = [...first.values()].sort(byKey)
    const count = await insertHistory(tx, table, unique)
    outcome.inserted += count
    if (count === unique.length && laterInBatch.length === 0) {
      inserted.push(...unique) // the common case: everything was new
      continue
    }
    // Something was already there: read back what is stored for these keys. xmin tells the rows
    // this transaction wrote from the ones that were there before.
    const stored = count === unique.length ? new Map<string, StoredRow>() : await storedByKey(tx, table, unique)
    const notInserted: ValidReading[] = []
    for (const r of unique) {
      const st = stored.get(keyOf(r))
      if (count === unique.length || st?.mine) inserted.push(r)
      else notInserted.push(r)
    }
    const judged = await judgeDuplicates(tx, table, notInserted, laterInBatch, first, stored)
    outcome.duplicates += judged.duplicates
    outcome.conflicts.push(...judged.conflicts)
  }

  for (const c of outcome.conflicts) {
    flags.push({ deviceId: c.deviceId, flag: 'conflicting_duplicate', atMs: c.receivedAtMs, detail: { stream: c.stream, kind: c.kind, observedAtMs: c.observedAtMs, seq: c.seq } })
  }
  for (const r of inserted) {
    if (r.quality === 'clock_skew_future') {
      flags.push({ deviceId: r.deviceId, flag: 'clock_skew_future', atMs: r.receivedAtMs, detail: { stream: r.stream, skewMs: r.observedAtMs - r.receivedAtMs } })
    }
  }
  if (outcome.conflicts.length > 0) await insertConflicts(tx, outcome.conflicts)
  if (flags.length > 0) await upsertFlags(tx, flags)
  // latest_state was moved forward by the same statement that stored the readings.
  outcome.latest = newestPerStream(inserted)
  if (input.quarantine.length > 0) outcome.quarantined = await insertQuarantine(tx, input.quarantine)
  return outcome
}

const SQL_CAST: Record<MetricColumn['kind'], string> = { float32: 'real', float64: 'float8', int: 'int4', text: 'text' }

/**
 * One statement per table, one JSON parameter (json_to_recordset: no per-value escaping in the
 * client, the same SQL on PostgreSQL and PGlite):
 *   1. insert the readings into history, ON CONFLICT DO NOTHING (keys and seqs already stored in
 *      the reading's day partition), except those the order guard refuses: latest_state of the
 *      stream holds a seq >= theirs observed earlier — the same seq re-sent with a fresh time,
 *      which the per-partition seq index cannot see across days. A late, honest reading (older
 *      time, smaller seq) passes;
 *   2. of the rows that went in, take the newest per stream (not clock-skewed) and move
 *      latest_state forward where it is newer;
 *   3. of the rows that went in (not clock-skewed), enqueue the distinct (device, stream, 1-min
 *      bucket) as ONE rollup_queue row: it commits if and only if the readings do, and
 *      duplicates enqueue nothing.
 * Nothing is sent back but counts. (RETURNING xmin is refused on a partitioned table: the
 * read-back in storedByKey stays a SELECT.)
 */
async function insertHistory(tx: Queryable, table: ReadingTable, rows: ValidReading[]): Promise<number> {
  if (rows.length === 0) return 0
  const json = JSON.stringify(rows.map((r) => ({ d: r.deviceId, s: r.stream, o: r.observedAtMs, q: r.seq, r: r.receivedAtMs, k: r.quality, v: r.values })))
  const cols = ['device_id', 'stream', 'observed_at', 'seq', 'received_at', 'quality', ...table.metrics.map((mc) => mc.col)]
  const metric = (mc: MetricColumn) => `(u.v->>'${mc.json}')::${SQL_CAST[mc.kind]}`
  const result = await tx.query<{ inserted: number }>(
    `WITH u AS MATERIALIZED (
       SELECT * FROM json_to_recordset($1::json) AS u(d text, s text, o float8, q int8, r float8, k text, v jsonb)
     ), ins AS (
       INSERT INTO ${table.table} (${cols.join(', ')})
       SELECT u.d, u.s, to_timestamp(u.o / 1000.0), u.q, to_timestamp(u.r / 1000.0), u.k, ${table.metrics.map(metric).join(', ')}
       FROM u
       WHERE NOT EXISTS (
         SELECT 1 FROM latest_state l
         WHERE l.device_id = u.d AND l.stream = u.s AND l.seq >= u.q AND l.observed_at < to_timestamp(u.o / 1000.0)
       )
       ON CONFLICT DO NOTHING
       RETURNING device_id, stream, observed_at, quality
     ), newest AS (
       SELECT DISTINCT ON (u.d, u.s) u.d, u.s, u.o, u.q, u.r, u.k, u.v
       FROM u JOIN ins ON ins.device_id = u.d AND ins.stream = u.s AND ins.observed_at = to_timestamp(u.o / 1000.0)
       WHERE u.k <> 'clock_skew_future'
       ORDER BY u.d, u.s, u.o DESC
     ), adv AS (
       INSERT INTO latest_state (device_id, stream, observed_at, seq, received_at, quality, vals)
       SELECT d, s, to_timestamp(o / 1000.0), q, to_timestamp(r / 1000.0), k, v FROM newest
       ON CONFLICT (device_id, stream) DO UPDATE SET
         observed_at = EXCLUDED.observed_at, seq = EXCLUDED.seq, received_at = EXCLUDED.received_at,
         quality = EXCLUDED.quality, vals = EXCLUDED.vals
       WHERE latest_state.observed_at < EXCLUDED.observed_at
       RETURNING 1
     ), enq AS (
       INSERT INTO rollup_queue (shape, min_bucket, device_ids, streams, buckets)
       SELECT $2, min(k.b), array_agg(k.d), array_agg(k.s), array_agg(k.b)
       FROM (
         SELECT DISTINCT device_id AS d, stream AS s, ${bucketSql(60, 'observed_at')} AS b
         FROM ins WHERE quality <> 'clock_skew_future'
       ) k
       HAVING count(*) > 0
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM adv)::int AS advanced, (SELECT count(*) FROM enq)::int AS enqueued`,
    [json, table.shape],
  )
  return Number(result.rows[0]?.inserted ?? 0)
}

/** Stored rows for the given keys, each with `mine`: written by the current transaction. */
async function storedByKey(tx: Queryable, table: ReadingTable, rows: ValidReading[]): Promise<Map<string, StoredRow>> {
  const metricCols = table.metrics.map((mc) => `t.${mc.col}`).join(', ')
  const r = await tx.query<StoredRow>(
    `SELECT t.device_id, t.stream, round(extract(epoch FROM t.observed_at) * 1000)::float8 AS ms, t.seq,
            t.xmin::text = (pg_current_xact_id()::xid)::text AS mine, ${metricCols}
     FROM ${table.table} t
     JOIN json_to_recordset($1::json) AS k(d text, s text, o float8)
       ON t.device_id = k.d AND t.stream = k.s AND t.observed_at = to_timestamp(k.o / 1000.0)`,
    [JSON.stringify(rows.map((x) => ({ d: x.deviceId, s: x.stream, o: x.observedAtMs })))],
  )
  return new Map(r.rows.map((row) => [keyOf({ deviceId: row.device_id, stream: row.stream, observedAtMs: Number(row.ms) }), row]))
}

interface StoredRow {
  device_id: string
  stream: string
  ms: number
  seq: number | null
  mine?: boolean
  [col: string]: unknown
}

/**
 * Decides, for rows that were not inserted, whether each is a harmless duplicate or a conflict:
 * `notInserted` met a stored row (same key, or the same seq under another time); `laterInBatch`
 * repeat a key that came earlier in this batch.
 */
async function judgeDuplicates(
  tx: Queryable,
  table: ReadingTable,
  notInserted: ValidReading[],
  laterInBatch: ValidReading[],
  firstInBatch: Map<string, ValidReading>,
  stored: Map<string, StoredRow>,
): Promise<{ duplicates: number; conflicts: ConflictRow[] }> {
  const metricCols = table.metrics.map((mc) => `t.${mc.col}`).join(', ')
  const fromRow = (s: StoredRow) => ({ seq: s.seq === null ? null : Number(s.seq), ...Object.fromEntries(table.metrics.map((mc) => [mc.json, s[mc.col] ?? null])) })
  const fromReading = (r: ValidReading) => ({ seq: r.seq, ...Object.fromEntries(table.metrics.map((mc) => [mc.json, r.values[mc.json] ?? null])) })
  // Keys not stored at all: the insert was refused by the seq index of the day partition, or by the
  // order guard (the latest state holds this or a higher seq at an earlier time) — the device re-used
  // a sequence number. The lookup by seq spans every partition's seq index: this path is rare.
  const seqMisses = notInserted.filter((r) => !stored.has(keyOf(r)))
  const bySeq = new Map<string, StoredRow>()
  if (seqMisses.length > 0) {
    const seqRows = await tx.query<StoredRow>(
      `SELECT t.device_id, t.stream, round(extract(epoch FROM t.observed_at) * 1000)::float8 AS ms, t.seq, ${metricCols}
       FROM ${table.table} t
       JOIN json_to_recordset($1::json) AS k(d text, s text, q int8)
         ON t.device_id = k.d AND t.stream = k.s AND t.seq = k.q`,
      [JSON.stringify(seqMisses.map((r) => ({ d: r.deviceId, s: r.stream, q: r.seq })))],
    )
    for (const row of seqRows.rows) bySeq.set(`${row.device_id}\u0000${row.stream}\u0000${row.seq}`, row)
  }
  const seqsInBatch = new Map<string, number>()
  if (seqMisses.length > 0) {
    for (const o of firstInBatch.values()) {
      const k = `${o.deviceId}\u0000${o.stream}\u0000${o.seq}`
      seqsInBatch.set(k, (seqsInBatch.get(k) ?? 0) + 1)
    }
  }

  let duplicates = 0
  const conflicts: ConflictRow[] = []
  const judge = (r: ValidReading, existing: Record<string, unknown>) => {
    const same = (existing.seq ?? null) === (r.seq ?? null) && table.metrics.every((mc) => sameStoredValue(mc, existing[mc.json], r.values[mc.json]))
    if (same) duplicates++
    else conflicts.push({ deviceId: r.deviceId, stream: r.stream, observedAtMs: r.observedAtMs, seq: r.seq, receivedAtMs: r.receivedAtMs, kind: 'value_mismatch', existing, incoming: fromReading(r) })
  }
  for (const r of notInserted) {
    const st = stored.get(keyOf(r))
    if (st) {
      judge(r, fromRow(st))
      continue
    }
    const bs = bySeq.get(`${r.deviceId}\u0000${r.stream}\u0000${r.seq}`)
    const sameBatch = (seqsInBatch.get(`${r.deviceId}\u0000${r.stream}\u0000${r.seq}`) ?? 0) > 1
    const existing = bs
      ? { observedAtMs: Number(bs.ms), ...fromRow(bs) }
      : { note: sameBatch ? 'a row with this seq was written in the same batch' : 'the latest state holds this or a higher seq at an earlier time' }
    conflicts.push({ deviceId: r.deviceId, stream: r.stream, observedAtMs: r.observedAtMs, seq: r.seq, receivedAtMs: r.receivedAtMs, kind: 'seq_reused', existing, incoming: fromReading(r) })
  }
  for (const r of laterInBatch) {
    const st = stored.get(keyOf(r))
    // Compared with what was there before this batch, else with the first copy in this batch.
    judge(r, st && !st.mine ? fromRow(st) : fromReading(firstInBatch.get(keyOf(r))!))
  }
  return { duplicates, conflicts }
}

/** Of the readings just stored, the newest per stream that may be shown as live (not clock-skewed). */
function newestPerStream(rows: ValidReading[]): ValidReading[] {
  const newest = new Map<string, ValidReading>()
  for (const r of rows) {
    if (r.quality === 'clock_skew_future') continue
    const k = `${r.deviceId}\u0000${r.stream}`
    const cur = newest.get(k)
    if (!cur || cur.observedAtMs < r.observedAtMs) newest.set(k, r)
  }
  return [...newest.values()]
}

async function insertConflicts(tx: Queryable, rows: ConflictRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO ingest_conflict (device_id, stream, observed_at, seq, received_at, kind, existing, incoming)
     SELECT u.d, u.s, to_timestamp(u.ms / 1000.0), u.q, to_timestamp(u.rms / 1000.0), u.k, u.e::jsonb, u.i::jsonb
     FROM unnest($1::text[], $2::text[], $3::float8[], $4::int8[], $5::float8[], $6::text[], $7::text[], $8::text[]) AS u(d, s, ms, q, rms, k, e, i)`,
    [
      rows.map((r) => r.deviceId),
      rows.map((r) => r.stream),
      rows.map((r) => r.observedAtMs),
      rows.map((r) => r.seq),
      rows.map((r) => r.receivedAtMs),
      rows.map((r) => r.kind),
      rows.map((r) => JSON.stringify(r.existing)),
      rows.map((r) => JSON.stringify(r.incoming)),
    ],
  )
}

/** One row per (device, flag): raised once, then counted. */
async function upsertFlags(tx: Queryable, rows: DeviceFlagRow[]): Promise<void> {
  const merged = new Map<string, DeviceFlagRow & { count: number; firstMs: number }>()
  for (const r of rows) {
    const k = `${r.deviceId}\u0000${r.flag}`
    const cur = merged.get(k)
    if (cur) {
      cur.count++
      cur.firstMs = Math.min(cur.firstMs, r.atMs)
      if (r.atMs >= cur.atMs) Object.assign(cur, { atMs: r.atMs, detail: r.detail })
    } else merged.set(k, { ...r, count: 1, firstMs: r.atMs })
  }
  const list = [...merged.values()].sort((a, b) => (a.deviceId + a.flag < b.deviceId + b.flag ? -1 : 1))
  await tx.query(
    `INSERT INTO device_flag (device_id, flag, first_at, last_at, count, detail)
     SELECT u.d, u.f, to_timestamp(u.fm / 1000.0), to_timestamp(u.lm / 1000.0), u.c, u.x::jsonb
     FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::int8[], $6::text[]) AS u(d, f, fm, lm, c, x)
     ON CONFLICT (device_id, flag) DO UPDATE SET
       last_at = greatest(device_flag.last_at, EXCLUDED.last_at),
       count = device_flag.count + EXCLUDED.count,
       detail = EXCLUDED.detail`,
    [
      list.map((r) => r.deviceId),
      list.map((r) => r.flag),
      list.map((r) => r.firstMs),
      list.map((r) => r.atMs),
      list.map((r) => r.count),
      list.map((r) => JSON.stringify(r.detail)),
    ],
  )
}

async function insertQuarantine(tx: Queryable, rows: QuarantineRow[]): Promise<number> {
  const keys = rows.map(quarantineKey)
  const r = await tx.query(
    `INSERT INTO ingest_quarantine (received_at, topic, client_id, reason, detail, raw, payload_bytes, sha256, device_id, stream, seq)
     SELECT to_timestamp(u.rms / 1000.0), u.t, u.c, u.r, u.d, decode(u.h, 'hex'), u.n, u.s, u.di, u.st, u.sq
     FROM unnest($1::float8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int4[], $8::text[], $9::text[], $10::text[], $11::int8[])
       AS u(rms, t, c, r, d, h, n, s, di, st, sq)`,
    [
      rows.map((q) => q.receivedAtMs),
      rows.map((q) => sanitizeText(q.topic)),
      rows.map((q) => (q.clientId === null ? null : sanitizeText(q.clientId))),
      rows.map((q) => q.reason),
      rows.map((q) => sanitizeText(q.detail)),
      rows.map((q) => q.raw.toString('hex')),
      rows.map((q) => q.payloadBytes),
      rows.map((q) => q.sha256),
      keys.map((k) => k.deviceId),
      keys.map((k) => k.stream),
      keys.map((k) => k.seq),
    ],
  )
  return r.rowCount
}

/**
 * Which reading a quarantined message was, when that can be told (a reading topic, a JSON payload
 * with an integer seq): the gap scan counts it as accounted for, and a device is not asked for it
 * again and again (ingest/src/backfill/gap-job.ts).
 */
export function quarantineKey(q: Pick<QuarantineRow, 'topic' | 'raw'>): { deviceId: string | null; stream: string | null; seq: number | null } {
  const parts = q.topic.split('/')
  if (parts.length !== 5 || parts[0] !== 'gemello' || parts[1] !== 'v1' || parts[2] === 'fiware') return { deviceId: null, stream: null, seq: null }
  const deviceId = sanitizeText(parts[3]!).slice(0, 200)
  const stream = sanitizeText(parts[4]!).slice(0, 64)
  let seq: number | null = null
  try {
    const v = (JSON.parse(q.raw.toString('utf8')) as { seq?: unknown }).seq
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) seq = v
  } catch {
    /* not JSON: no seq */
  }
  return { deviceId, stream, seq }
}

async function upsertRegistrations(tx: Queryable, rows: RegistrationRow[]): Promise<number> {
  const last = new Map(rows.map((r) => [r.deviceId, r]))
  const list = [...last.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1))
  const r = await tx.query(
    `INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset, props)
     SELECT u.id, u.k, u.n, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326), u.i, 'registered', NULL, u.p::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::int4[], $7::text[]) AS u(id, k, n, lon, lat, i, p)
     ON CONFLICT (id) DO UPDATE SET
       name = EXCLUDED.name, geom = EXCLUDED.geom, expected_interval_s = EXCLUDED.expected_interval_s,
       props = device.props || EXCLUDED.props, updated_at = now()
     WHERE device.kind = EXCLUDED.kind`,
    [
      list.map((x) => x.deviceId),
      list.map((x) => x.kind),
      list.map((x) => x.name),
      list.map((x) => x.position[0]),
      list.map((x) => x.position[1]),
      list.map((x) => x.expectedIntervalS),
      list.map((x) => JSON.stringify(x.props)),
    ],
  )
  return r.rowCount
}

/** PostgreSQL text cannot hold NUL; strings from the wire may. */
function sanitizeText(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s
}
