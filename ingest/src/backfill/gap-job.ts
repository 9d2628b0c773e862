/**
 * The gap scan (ADR 0004 §5): for devices that keep an outbox (registered with `props.backfill =
 * true`, whose seq steps by one per reading), find what Gemello is missing and tell the device —
 * because a broker's PUBACK is not durability: a broker killed before it saves its queue loses it.
 *
 * Per stream with news (latest_state.seq above its watermark) or whose confirmation is due:
 *  - what is accounted for above the watermark: stored rows, quarantined readings (their seq), seqs
 *    an operator declared lost;
 *  - the new watermark `contiguous_seq`: every seq up to it is accounted for — sent to the device as
 *    `confirmedThroughSeq` so it may drop those outbox entries;
 *  - missing seqs below the newest one received more than `graceMs` ago (cross-worker reordering and
 *    batches in flight get that long) become `seq_gap` rows and `ranges` to re-publish; a gap is asked
 *    for again after `retryMs`, at most 5 times, then stays open for an operator to declare it lost;
 *  - `heldThroughSeq`: how far the list of missing ranges is complete — everything else up to it is
 *    stored, so the device drops it too instead of re-sending it.
 * One transaction under the job loop's advisory lock: any number of ingest workers may run it.
 * The requests are published after COMMIT (afterCommit), QoS 1 — lost requests are simply made again.
 */
import type { Queryable } from '../../../server/src/db/adapter'
import type { Job } from '../../../server/src/jobs/job-loop'
import { READING_TABLES } from '../../../server/src/db/reading-tables'
import { streamSpec } from '../../../contracts/schemas/reading'
import type { DeviceKind } from '../../../contracts/schemas/device'
import { BACKFILL_MAX_SEQS, type BackfillRequest } from '../../../contracts/schemas/backfill'

export interface GapJobOptions {
  intervalMs: number
  /** A hole is a gap once a later seq has been stored for this long. */
  graceMs: number
  /** Re-send the confirmation of a quiet stream this often (a device may have missed it). */
  confirmEveryMs: number
  /** Ask for an open gap again after this long. */
  retryMs: number
  maxStreamsPerTick?: number
  publish(out: BackfillOut[]): Promise<void>
}

export interface BackfillOut {
  kind: DeviceKind
  deviceId: string
  request: BackfillRequest
}

export const MAX_REQUESTS_PER_GAP = 5
const MAX_RANGES = 64

interface Candidate {
  device_id: string
  stream: string
  kind: DeviceKind
  latest_seq: number
  contiguous: number | null
  confirmed_ms: number | null
}

/**
 * Inclusive ranges of the numbers in (from, to] missing from `have`, capped in count and size, and
 * `complete`: the seq up to which the list names every missing one (`to` unless capped).
 */
export function missingRanges(from: number, to: number, have: ReadonlySet<number>): { ranges: Array<[number, number]>; complete: number } {
  const ranges: Array<[number, number]> = []
  let total = 0
  let start: number | null = null
  for (let s = from + 1; s <= to; s++) {
    if (!have.has(s)) {
      start ??= s
      continue
    }
    if (start !== null) {
      ranges.push([start, s - 1])
      total += s - start
      start = null
      if (ranges.length >= MAX_RANGES || total >= BACKFILL_MAX_SEQS) return { ranges, complete: s }
    }
  }
  if (start !== null) ranges.push([start, to])
  return { ranges, complete: to }
}

/** The largest s ≥ from such that every seq in (from, s] is in `have`. */
export function contiguousFrom(from: number, have: ReadonlySet<number>): number {
  let s = from
  while (have.has(s + 1)) s++
  return s
}

export function gapJob(o: GapJobOptions): Job<BackfillOut[]> {
  return {
    name: 'gap-scan',
    intervalMs: o.intervalMs,
    lockKey: 4_004_205,
    run: async (tx, nowMs) => scan(tx, nowMs, o),
    afterCommit: async (out) => {
      if (out.length > 0) await o.publish(out)
    },
    describe: (out) => {
      const asks = out.filter((x) => x.request.ranges.length > 0)
      return asks.length > 0 ? `asked ${asks.length} devices to re-send ${asks.reduce((n, x) => n + x.request.ranges.reduce((m, [a, b]) => m + b - a + 1, 0), 0)} readings` : null
    },
  }
}

async function scan(tx: Queryable, nowMs: number, o: GapJobOptions): Promise<BackfillOut[]> {
  const now = new Date(nowMs)
  const cands = (
    await tx.query<Candidate>(
      `SELECT l.device_id, l.stream, d.kind, l.seq::float8 AS latest_seq, w.contiguous_seq::float8 AS contiguous,
              (extract(epoch FROM w.updated_at) * 1000)::float8 AS confirmed_ms
         FROM latest_state l
         JOIN device d ON d.id = l.device_id AND d.props @> '{"backfill": true}'
         LEFT JOIN stream_watermark w ON w.device_id = l.device_id AND w.stream = l.stream
        WHERE l.seq IS NOT NULL
          AND (w.contiguous_seq IS NULL OR l.seq > w.contiguous_seq OR w.updated_at < $1::timestamptz - make_interval(secs => $2))
        ORDER BY w.updated_at NULLS FIRST
        LIMIT $3`,
      [now, o.confirmEveryMs / 1000, o.maxStreamsPerTick ?? 2000],
    )
  ).rows
  const out: BackfillOut[] = []
  let n = 0
  for (const c of cands) {
    const spec = streamSpec(c.kind, c.stream)
    if (!spec) continue
    const table = READING_TABLES[spec.shape].table
    let from = c.contiguous
    if (from === null) {
      const first = await tx.query<{ s: number | null }>(`SELECT min(seq)::float8 AS s FROM ${table} WHERE device_id = $1 AND stream = $2`, [c.device_id, c.stream])
      if (first.rows[0]?.s == null) continue
      from = Number(first.rows[0].s) - 1
    }
    const to = Math.min(Number(c.latest_seq), from + BACKFILL_MAX_SEQS)
    const rows = (
      await tx.query<{ seq: number; settled: boolean }>(
        `SELECT seq::float8 AS seq, received_at < $5::timestamptz - make_interval(secs => $6) AS settled
           FROM ${table} WHERE device_id = $1 AND stream = $2 AND seq > $3 AND seq <= $4
         UNION ALL
         SELECT seq::float8, true FROM ingest_quarantine WHERE device_id = $1 AND stream = $2 AND seq > $3 AND seq <= $4
         UNION ALL
         SELECT generate_series(greatest(from_seq, $3 + 1), least(to_seq, $4))::float8, true
           FROM seq_gap WHERE device_id = $1 AND stream = $2 AND closed_as = 'declared_lost' AND to_seq > $3 AND from_seq <= $4`,
        [c.device_id, c.stream, from, to, now, o.graceMs / 1000],
      )
    ).rows
    const have = new Set(rows.map((r) => Number(r.seq)))
    const settledTop = rows.reduce((m, r) => (r.settled && Number(r.seq) > m ? Number(r.seq) : m), from)
    const contiguous = contiguousFrom(from, have)
    // Gaps already covered by the new watermark are closed: what was asked for came (or was quarantined).
    await tx.query(`UPDATE seq_gap SET closed_at = $4, closed_as = 'backfilled' WHERE device_id = $1 AND stream = $2 AND closed_at IS NULL AND to_seq <= $3`, [
      c.device_id,
      c.stream,
      contiguous,
      now,
    ])
    const { ranges: missing, complete } = missingRanges(contiguous, settledTop, have)
    const ask: Array<[number, number]> = []
    for (const [a, b] of missing) {
      const open = (
        await tx.query<{ id: string; requests: number; due: boolean }>(
          `SELECT id, requests, last_request_at < $5::timestamptz - make_interval(secs => $6) AS due
             FROM seq_gap WHERE device_id = $1 AND stream = $2 AND closed_at IS NULL AND from_seq <= $4 AND to_seq >= $3
             ORDER BY id LIMIT 1`,
          [c.device_id, c.stream, a, b, now, o.retryMs / 1000],
        )
      ).rows[0]
      if (!open) {
        await tx.query(`INSERT INTO seq_gap (device_id, stream, from_seq, to_seq, opened_at, requests, last_request_at) VALUES ($1, $2, $3, $4, $5, 1, $5)`, [c.device_id, c.stream, a, b, now])
        ask.push([a, b])
      } else if (open.due && open.requests < MAX_REQUESTS_PER_GAP) {
        await tx.query(`UPDATE seq_gap SET requests = requests + 1, last_request_at = $2 WHERE id = $1`, [open.id, now])
        ask.push([a, b])
      }
    }
    const advanced = c.contiguous === null || contiguous > c.contiguous
    const confirmDue = c.confirmed_ms === null || nowMs - c.confirmed_ms >= o.confirmEveryMs
    await tx.query(
      `INSERT INTO stream_watermark (device_id, stream, contiguous_seq, max_seq, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (device_id, stream) DO UPDATE SET contiguous_seq = EXCLUDED.contiguous_seq, max_seq = EXCLUDED.max_seq,
         updated_at = CASE WHEN $6 THEN EXCLUDED.updated_at ELSE stream_watermark.updated_at END`,
      [c.device_id, c.stream, contiguous, Number(c.latest_seq), now, advanced || confirmDue],
    )
    if (ask.length > 0 || advanced || confirmDue) {
      out.push({
        kind: c.kind,
        deviceId: c.device_id,
        request: {
          requestId: `bf-${nowMs.toString(36)}-${n++}`,
          stream: c.stream,
          confirmedThroughSeq: contiguous,
          // Ranges not asked for this time (asked recently, or given up) are still missing: the
          // device must not drop them, so `held` stops before the first one.
          heldThroughSeq: missing.length === ask.length ? complete : Math.min(complete, missing.find((m) => !ask.some((x) => x[0] === m[0]))![0] - 1),
          ranges: ask,
          issuedAtMs: nowMs,
        },
      })
    }
  }
  return out
}
