/**
 * Rollups, the rollup queue, sequence gaps and stream watermarks (ADR 0004 §4, §5).
 *
 * Rollups: per value shape `<shape>_1m` and `<shape>_1h`, key (device_id, stream, bucket), with
 * sums and counts so that coarser buckets re-aggregate exactly: `n` readings, `last_at` the newest
 * reading's time, and per metric by how it aggregates — avg: `<col>_sum`, `<col>_n` (non-null
 * count); sum: `<col>_sum`; max: `<col>_max`; last: `<col>_last`. `_1m` is partitioned by month,
 * `_1h` by year (server/src/db/partitions.ts creates the partitions; retention drops them).
 *
 * rollup_queue: one row per write batch and history table, written by the same statement as the
 * readings (server/src/db/readings.ts): the (device, stream, 1-min bucket) the batch touched, as
 * three parallel arrays (three times cheaper to build in the insert statement than a jsonb list of
 * objects: 2.0 against 6.0 ms for 2,000 keys) — or a range row (`is_range`) asking for every bucket
 * with readings in [range_from, range_to) (null: unbounded), which is how history written before
 * this migration gets its rollups: one such row per history table that has readings. `min_bucket`
 * is the oldest time a row refers to, so that retention never drops a day the queue still has to read.
 *
 * Frozen like every migration: the shapes are spelled out here, not imported.
 */
import type { Queryable } from '../adapter'

type Agg = 'avg' | 'sum' | 'max' | 'last'
/** [column, SQL type of the history column, aggregation] */
type Metric = [string, 'real' | 'double precision' | 'integer' | 'smallint' | 'text', Agg]

const SHAPES: Array<{ shape: string; history: string; rollup: string; metrics: Metric[] }> = [
  {
    shape: 'traffic',
    history: 'traffic_reading',
    rollup: 'traffic',
    metrics: [['flow_veh_h', 'real', 'avg'], ['occupancy_pct', 'real', 'avg'], ['speed_kmh', 'real', 'avg'], ['interval_s', 'integer', 'sum'], ['lane', 'smallint', 'last']],
  },
  {
    shape: 'air-quality',
    history: 'air_quality_reading',
    rollup: 'air_quality',
    metrics: [['value', 'double precision', 'avg'], ['unit', 'text', 'last'], ['validity', 'text', 'last'], ['averaging_s', 'integer', 'last']],
  },
  {
    shape: 'gate',
    history: 'gate_reading',
    rollup: 'gate',
    metrics: [['status', 'text', 'last'], ['interval_s', 'integer', 'sum'], ['vehicles', 'integer', 'sum'], ['unauthorized', 'integer', 'sum']],
  },
  {
    shape: 'link',
    history: 'link_reading',
    rollup: 'link',
    metrics: [['status', 'text', 'last'], ['connected_clients', 'integer', 'avg'], ['rx_kbps', 'real', 'avg'], ['tx_kbps', 'real', 'avg']],
  },
  {
    shape: 'signal-stage',
    history: 'signal_stage_reading',
    rollup: 'signal_stage',
    metrics: [['program_id', 'text', 'last'], ['stage', 'smallint', 'last'], ['mode', 'text', 'last'], ['cycle_second', 'real', 'last']],
  },
  {
    shape: 'bike-count',
    history: 'bike_count_reading',
    rollup: 'bike_count',
    metrics: [['interval_s', 'integer', 'sum'], ['bikes', 'integer', 'sum']],
  },
]

const isInt = (type: Metric[1]) => type === 'integer' || type === 'smallint'

function rollupColumns(metrics: Metric[]): string[] {
  const cols: string[] = []
  for (const [col, type, agg] of metrics) {
    if (agg === 'avg') cols.push(`${col}_sum ${isInt(type) ? 'bigint' : 'double precision'}`, `${col}_n integer NOT NULL`)
    else if (agg === 'sum') cols.push(`${col}_sum ${isInt(type) ? 'bigint' : 'double precision'}`)
    else if (agg === 'max') cols.push(`${col}_max ${type}`)
    else cols.push(`${col}_last ${type}`)
  }
  return cols
}

export async function up(tx: Queryable): Promise<void> {
  for (const s of SHAPES) {
    for (const [grain, unit] of [['1m', 'month'], ['1h', 'year']] as const) {
      const t = `${s.rollup}_${grain}`
      await tx.query(
        `CREATE TABLE ${t} (
           device_id text COLLATE "C" NOT NULL,
           stream    text COLLATE "C" NOT NULL,
           bucket    timestamptz NOT NULL,
           n         integer NOT NULL,
           last_at   timestamptz NOT NULL,
           ${rollupColumns(s.metrics).join(',\n           ')},
           PRIMARY KEY (device_id, stream, bucket)
         ) PARTITION BY RANGE (bucket)`,
      )
      await tx.query(`COMMENT ON TABLE ${t} IS '${s.shape} readings per ${grain === '1m' ? 'minute' : 'hour'}: sums and counts (rollups.ts); partitioned by ${unit}'`)
    }
  }

  await tx.query(
    `CREATE TABLE rollup_queue (
       id         bigserial PRIMARY KEY,
       shape      text NOT NULL,
       min_bucket timestamptz NOT NULL,
       device_ids text[],
       streams    text[],
       buckets    timestamptz[],
       is_range   boolean NOT NULL DEFAULT false,
       range_from timestamptz,
       range_to   timestamptz,
       CHECK (is_range OR (device_ids IS NOT NULL AND streams IS NOT NULL AND buckets IS NOT NULL))
     )`,
  )
  await tx.query(`CREATE INDEX rollup_queue_range_idx ON rollup_queue (shape) WHERE is_range`)
  for (const s of SHAPES) {
    await tx.query(
      `INSERT INTO rollup_queue (shape, min_bucket, is_range)
       SELECT $1, '-infinity', true WHERE EXISTS (SELECT 1 FROM ${s.history})`,
      [s.shape],
    )
  }

  // Sequence gaps found by the gap job (ADR 0004 §5): [from_seq, to_seq] missing for a stream,
  // re-requested from the device until backfilled, quarantined again, or declared lost.
  await tx.query(
    `CREATE TABLE seq_gap (
       id              bigserial PRIMARY KEY,
       device_id       text COLLATE "C" NOT NULL,
       stream          text COLLATE "C" NOT NULL,
       from_seq        bigint NOT NULL,
       to_seq          bigint NOT NULL,
       opened_at       timestamptz NOT NULL DEFAULT now(),
       requests        integer NOT NULL DEFAULT 0,
       last_request_at timestamptz,
       closed_at       timestamptz,
       closed_as       text CHECK (closed_as IN ('backfilled', 'quarantined', 'declared_lost')),
       detail          jsonb NOT NULL DEFAULT '{}'::jsonb,
       CHECK (from_seq <= to_seq),
       CHECK ((closed_at IS NULL) = (closed_as IS NULL))
     )`,
  )
  await tx.query(`CREATE INDEX seq_gap_open_idx ON seq_gap (device_id, stream, from_seq) WHERE closed_at IS NULL`)

  // Per stream: every seq up to contiguous_seq is stored, quarantined or declared lost.
  await tx.query(
    `CREATE TABLE stream_watermark (
       device_id      text COLLATE "C" NOT NULL,
       stream         text COLLATE "C" NOT NULL,
       contiguous_seq bigint NOT NULL,
       max_seq        bigint NOT NULL,
       updated_at     timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (device_id, stream)
     )`,
  )

  // What the quarantine knows of a refused reading, for the replay of unknown_device rows and the
  // reconciliation; resolved_at marks a row whose reading was stored later.
  await tx.query(`ALTER TABLE ingest_quarantine ADD COLUMN device_id text, ADD COLUMN stream text, ADD COLUMN seq bigint, ADD COLUMN resolved_at timestamptz`)
  await tx.query(`CREATE INDEX ingest_quarantine_unresolved_idx ON ingest_quarantine (device_id, received_at) WHERE resolved_at IS NULL AND device_id IS NOT NULL`)
}
