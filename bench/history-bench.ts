/**
 * `npm run bench:history` — history that stays fast as it grows (ADR 0004 §4, docs/history.md).
 *
 * Per size (default 10⁷ rows; `--rows 1e7,1e8` or HISTORY_BENCH_ROWS=1e7,1e8 for more), on a
 * throwaway database of the bench's own PostgreSQL cluster (bench/lib/postgres-cluster.ts) or of
 * BENCH_DATABASE_URL:
 *  1. load: a generated week of traffic history (10,000 × 60 s ≈ 14.4 M rows per day at 10⁸; the
 *     device count scales with the size, the days stay 7), time-ordered as the ingest writes it, with
 *     values from the project PRNG (simulator/src/prng.ts) — COPY (pg-copy-streams) into unindexed
 *     daily tables, then primary key + seq index per table, VACUUM (FREEZE, ANALYZE), ATTACH;
 *  2. EXPLAIN (ANALYZE, BUFFERS) of "last 24 h of device X" (the history route's raw query) and of
 *     "all devices in the viewport now" (latest_state ⋈ device, GiST on device.geom);
 *  3. device-day latency, p50/p99 over random devices, through readHistory (cold pass, warm pass);
 *     then one whole closed day, before and after the compaction job rewrites it in key order
 *     (server/src/db/compaction.ts), each from cold caches (the bench's own cluster restarted, the
 *     OS page cache dropped where the bench may) and again;
 *  4. planning time of the device-day query with 7 and with 70 daily partitions (literal bounds:
 *     plan-time pruning; and a generic prepared plan: run-time pruning);
 *  5. the real write path on the big table: readings through writeBatch (WAL bytes per reading) and
 *     the rollup job (bytes per rollup row).
 * Prints figures, writes bench/results/history-<time>.json, drops the database. Never pass/fail.
 *
 *   npm run bench:history -- [--rows 1e7,1e8] [--days 7] [--samples 300]
 */
import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { openDb, type Db } from '../server/src/db/adapter'
import { readHistory } from '../server/src/db/history'
import { migrate } from '../server/src/db/migrate'
import { compactPartition } from '../server/src/db/compaction'
import { DAY_MS, listPartitions, partitionedTables, unitStart } from '../server/src/db/partitions'
import { writeBatch, type ValidReading } from '../server/src/db/readings'
import { runRollups } from '../server/src/jobs/rollup-job'
import { mulberry32, rngFor, type Rng } from '../simulator/src/prng'
import { BENCH_PG_SETTINGS, startPostgres, type Cluster } from './lib/postgres-cluster'
import { createDatabase, dropDatabase, freePort } from './lib/services'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : def
}
const SIZES = arg('rows', process.env.HISTORY_BENCH_ROWS ?? '1e7').split(',').map((s) => Math.round(Number(s)))
const DAYS = Number(arg('days', '7'))
const SAMPLES = Number(arg('samples', '300'))
const PLAN_RUNS = 30
const SLOTS_PER_DAY = 1440
const DB_NAME = 'gemello_bench_history'
const SEED = 'history-bench'
/** Bologna; the viewport is ~1.2 × 1.1 km around Piazza Maggiore. */
const CITY = { w: 11.22, s: 44.42, e: 11.45, n: 44.56 }
const VIEWPORT = [11.335, 44.489, 11.35, 44.499] as const

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–')
const load = () => `load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN
}
const seconds = (t0: number) => (performance.now() - t0) / 1000
const dayName = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')
const deviceId = (i: number) => `loop-hb-${String(i).padStart(6, '0')}`

// ------------------------------------------------------------------------------------------
// EXPLAIN, read as JSON

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  'Subplans Removed'?: number
  'Shared Hit Blocks'?: number
  'Shared Read Blocks'?: number
  'Shared Dirtied Blocks'?: number
  Plans?: PlanNode[]
}
interface Explained {
  /** The text plan of a second run (the numbers below are the first run's). */
  text: string
  planningMs: number
  executionMs: number
  sharedHit: number
  sharedRead: number
  shape: string
  relations: string[]
}

function shapeOf(node: PlanNode, depth = 0): string[] {
  const what = [node['Node Type'], node['Index Name'] ? `using ${node['Index Name']}` : node['Relation Name'] ? `on ${node['Relation Name']}` : '', node['Subplans Removed'] ? `(${node['Subplans Removed']} subplans removed)` : '']
  return [`${'  '.repeat(depth)}${what.filter(Boolean).join(' ')}`, ...(node.Plans ?? []).flatMap((p) => shapeOf(p, depth + 1))]
}
function relationsOf(node: PlanNode): string[] {
  return [...(node['Relation Name'] ? [node['Relation Name']] : []), ...(node.Plans ?? []).flatMap(relationsOf)]
}

async function explain(c: pg.ClientBase, sql: string, params: unknown[] = []): Promise<Explained> {
  const j = await c.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params)
  const top = (j.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }>)[0]!
  const t = await c.query(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) ${sql}`, params)
  return {
    text: t.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'),
    planningMs: top['Planning Time'],
    executionMs: top['Execution Time'],
    sharedHit: top.Plan['Shared Hit Blocks'] ?? 0,
    sharedRead: top.Plan['Shared Read Blocks'] ?? 0,
    shape: shapeOf(top.Plan).join('\n'),
    relations: [...new Set(relationsOf(top.Plan))],
  }
}

// ------------------------------------------------------------------------------------------
// Generated history: time-ordered (all devices per minute, as the ingest writes), deterministic

interface DeviceGen {
  rng: Rng
  base: number
  lane: number | null
  single: boolean
}

function devicesFor(n: number): DeviceGen[] {
  return Array.from({ length: n }, (_, i) => {
    const r = rngFor(SEED, 'device', i)
    return { rng: mulberry32(Math.floor(r() * 2 ** 32)), base: 200 + r() * 1200, lane: r() < 0.3 ? null : Math.floor(r() * 3), single: r() < 0.2 }
  })
}

/** COPY text of slots [from, to) of one day, for all devices. */
function chunk(devs: DeviceGen[], dayStartMs: number, dayIndex: number, from: number, to: number): string {
  const lines: string[] = []
  for (let slot = from; slot < to; slot++) {
    const ms = dayStartMs + slot * 60_000
    const ts = new Date(ms).toISOString().replace('T', ' ').replace('.000Z', '+00')
    const rts = new Date(ms + 1500).toISOString().replace('T', ' ').replace('Z', '+00')
    const daily = Math.sin(((slot - 360) / SLOTS_PER_DAY) * 2 * Math.PI)
    const seq = dayIndex * SLOTS_PER_DAY + slot
    for (let i = 0; i < devs.length; i++) {
      const d = devs[i]!
      const u = d.rng()
      const flow = Math.max(0, d.base * (0.55 + 0.45 * daily) * (0.85 + 0.3 * u))
      const occ = Math.min(95, flow / 40 + d.rng() * 3)
      const speed = d.single ? '\\N' : (55 - occ * 0.6 + d.rng() * 5).toFixed(1)
      lines.push(`${deviceId(i)}\ttraffic\t${ts}\t${seq}\t${rts}\tgood\t${flow.toFixed(1)}\t${occ.toFixed(2)}\t${speed}\t60\t${d.lane === null ? '\\N' : d.lane}`)
    }
  }
  lines.push('')
  return lines.join('\n')
}

async function copyDay(c: pg.ClientBase, table: string, devs: DeviceGen[], dayStartMs: number, dayIndex: number): Promise<void> {
  const stream = c.query(copyFrom(`COPY ${table} (device_id, stream, observed_at, seq, received_at, quality, flow_veh_h, occupancy_pct, speed_kmh, interval_s, lane) FROM STDIN`))
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve)
    stream.on('error', reject)
  })
  const per = Math.max(1, Math.floor(20_000 / devs.length))
  for (let slot = 0; slot < SLOTS_PER_DAY; slot += per) {
    if (!stream.write(chunk(devs, dayStartMs, dayIndex, slot, Math.min(SLOTS_PER_DAY, slot + per)))) await once(stream, 'drain')
  }
  stream.end()
  await done
}

// ------------------------------------------------------------------------------------------

interface SizeResult {
  rows: number
  devices: number
  days: number
  load: { wallS: number; copyS: number; copyRowsPerS: number; indexS: number; vacuumS: number; attachS: number }
  bytesPerRow: { heap: number; pk: number; seq: number; total: number }
  btreeLevels: { pk: number | null; seq: number | null }
  deviceDay: Explained
  viewport: Explained
  latencyMs: { coldP50: number; coldP99: number; warmP50: number; warmP99: number; bareP50: number; bareP99: number; points: number }
  compaction: Compaction
  planningMs: { literal7: number; literal70: number; generic7: number; generic70: number; genericExec70: number }
  writePath: { readings: number; readingsPerS: number; walBytesPerReading: number; rollupBytesPer1mRow: number; rollupRows1m: number; rollupS: number }
}

interface ClosedDayFigures {
  /** EXPLAIN (ANALYZE, BUFFERS) of one device's whole day, from cold caches. */
  buffers: number
  read: number
  executionMs: number
  /** readHistory over the sample: first pass from cold caches, then again. */
  coldP50: number
  coldP99: number
  warmP50: number
  warmP99: number
}
interface Compaction {
  partition: string
  rows: number
  buildS: number
  swapMs: number
  vacuumS: number
  /** Whether caches were really cold: own cluster restarted; OS page cache dropped. */
  restarted: boolean
  osCacheDropped: boolean
  before: ClosedDayFigures
  after: ClosedDayFigures
}

async function runSize(admin: string, rows: number, cluster: Cluster | null): Promise<SizeResult> {
  const devices = Math.max(1, Math.round(rows / (DAYS * SLOTS_PER_DAY)))
  const total = devices * DAYS * SLOTS_PER_DAY
  console.log(`\n== ${fmt(total)} rows: ${fmt(devices)} loops × 60 s × ${DAYS} days (${fmt(devices * SLOTS_PER_DAY)} rows per daily partition) — ${load()}`)
  const url = await createDatabase(admin, DB_NAME)
  let db = await openDb({ kind: 'server', url }, { poolSize: 4 })
  let c = new pg.Client({ connectionString: url })
  await c.connect()
  /** Empties every cache between the disk and the query: PostgreSQL's (restart) and the OS's (drop_caches). */
  const coldCaches = async () => {
    await c.end()
    await db.close()
    cluster?.restart()
    let osCacheDropped = false
    try {
      spawnSync('sync')
      writeFileSync('/proc/sys/vm/drop_caches', '3')
      osCacheDropped = true
    } catch {
      // not root: the OS cache stays warm
    }
    db = await openDb({ kind: 'server', url }, { poolSize: 4 })
    c = new pg.Client({ connectionString: url })
    await c.connect()
    return { restarted: cluster !== null, osCacheDropped }
  }
  try {
    await migrate(db)
    const today = unitStart('day', Date.now())
    const firstDay = today - (DAYS - 1) * DAY_MS
    const nowMs = today + 20 * 3_600_000 // "now" for the queries: 20:00 UTC of the last day loaded

    // The migration's partitions are empty: the bench's days replace them.
    for (const p of await listPartitions(c, 'traffic_reading')) await c.query(`ALTER TABLE traffic_reading DETACH PARTITION ${p.name}; DROP TABLE ${p.name}`)

    const devs = devicesFor(devices)
    const pos = mulberry32(7)
    await c.query(
      `INSERT INTO device (id, kind, name, geom, expected_interval_s, source)
       SELECT 'loop-hb-' || lpad((o - 1)::text, 6, '0'), 'traffic-loop', 'Bench loop ' || (o - 1), ST_SetSRID(ST_MakePoint(x, y), 4326), 60, 'generated'
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(x, y, o)`,
      [Array.from({ length: devices }, () => CITY.w + pos() * (CITY.e - CITY.w)), Array.from({ length: devices }, () => CITY.s + pos() * (CITY.n - CITY.s))],
    )
    await c.query(
      `INSERT INTO latest_state (device_id, stream, observed_at, seq, received_at, quality, vals)
       SELECT id, 'traffic', to_timestamp($1 / 1000.0), 1, to_timestamp($1 / 1000.0), 'good', '{"flowVehH": 600, "occupancyPct": 8.5, "speedKmh": 42, "intervalS": 60}'::jsonb FROM device`,
      [today + DAY_MS - 60_000],
    )
    await c.query('ANALYZE device; ANALYZE latest_state')

    // 1. Load: COPY day d+1 on one connection while day d gets its indexes, VACUUM and ATTACH on another.
    const c2 = new pg.Client({ connectionString: url })
    await c2.connect()
    await c2.query(`SET maintenance_work_mem = '1GB'`)
    const timing = { copyS: 0, indexS: 0, vacuumS: 0, attachS: 0, wallS: 0 }
    const tLoad = performance.now()
    const finishDay = async (p: string, start: number) => {
      let t0 = performance.now()
      await c2.query(`ALTER TABLE ${p} ADD CONSTRAINT ${p}_pkey PRIMARY KEY (device_id, stream, observed_at)`)
      await c2.query(`CREATE UNIQUE INDEX ${p}_seq_key ON ${p} (device_id, stream, seq)`)
      timing.indexS += seconds(t0)
      t0 = performance.now()
      await c2.query(`VACUUM (FREEZE, ANALYZE) ${p}`)
      timing.vacuumS += seconds(t0)
      t0 = performance.now()
      await c2.query(`ALTER TABLE traffic_reading ATTACH PARTITION ${p} FOR VALUES FROM ('${new Date(start).toISOString()}') TO ('${new Date(start + DAY_MS).toISOString()}')`)
      timing.attachS += seconds(t0)
    }
    let finishing: Promise<void> = Promise.resolve()
    try {
      for (let d = 0; d < DAYS; d++) {
        const start = firstDay + d * DAY_MS
        const p = `traffic_reading_p${dayName(start)}`
        await c.query(`CREATE TABLE ${p} (LIKE traffic_reading INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`)
        const t0 = performance.now()
        await copyDay(c, p, devs, start, d)
        timing.copyS += seconds(t0)
        await finishing
        finishing = finishDay(p, start)
        process.stdout.write(`   day ${d + 1}/${DAYS} copied (${fmt(seconds(tLoad))} s so far)\r`)
      }
      await finishing
    } finally {
      await c2.end()
    }
    timing.wallS = seconds(tLoad)
    const copyRowsPerS = total / timing.copyS
    console.log(
      `   load: ${fmt(timing.wallS, 1)} s — COPY ${fmt(timing.copyS, 1)} s (${fmt(copyRowsPerS)} rows/s into unindexed tables), overlapped with: PK + seq index ${fmt(timing.indexS, 1)} s · VACUUM (FREEZE, ANALYZE) ${fmt(timing.vacuumS, 1)} s · ATTACH ${fmt(timing.attachS, 1)} s`,
    )
    const sizes = await c.query<{ heap: string; pk: string; seq: string; total: string }>(
      `SELECT sum(pg_table_size(c.oid)) AS heap, sum(pg_relation_size((c.relname || '_pkey')::regclass)) AS pk,
              sum(pg_relation_size((c.relname || '_seq_key')::regclass)) AS seq, sum(pg_total_relation_size(c.oid)) AS total
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'traffic_reading'::regclass`,
    )
    const s = sizes.rows[0]!
    const bytesPerRow = { heap: Number(s.heap) / total, pk: Number(s.pk) / total, seq: Number(s.seq) / total, total: Number(s.total) / total }
    console.log(`   size: ${fmt(Number(s.total) / 2 ** 30, 2)} GB = ${fmt(bytesPerRow.total, 1)} B/row (heap ${fmt(bytesPerRow.heap, 1)} + PK ${fmt(bytesPerRow.pk, 1)} + seq ${fmt(bytesPerRow.seq, 1)})`)
    const lastP = `traffic_reading_p${dayName(today)}`
    const btreeLevels = { pk: null as number | null, seq: null as number | null }
    try {
      await c.query('CREATE EXTENSION IF NOT EXISTS pageinspect')
      const lv = await c.query<{ pk: number; seq: number }>(`SELECT (SELECT level FROM bt_metap('${lastP}_pkey')) AS pk, (SELECT level FROM bt_metap('${lastP}_seq_key')) AS seq`)
      btreeLevels.pk = Number(lv.rows[0]!.pk)
      btreeLevels.seq = Number(lv.rows[0]!.seq)
      console.log(`   btree root level of one daily partition: PK ${btreeLevels.pk}, seq ${btreeLevels.seq} (0 = the root is a leaf)`)
    } catch {
      console.log('   (pageinspect not available: btree levels not measured)')
    }

    // 2. Query plans. Device X: one in the middle of the list.
    const x = deviceId(Math.floor(devices / 2))
    const dayQuery = `SELECT round(extract(epoch FROM observed_at) * 1000)::float8 AS ms, quality, flow_veh_h, occupancy_pct, speed_kmh, interval_s, lane
      FROM traffic_reading WHERE device_id = $1 AND stream = 'traffic' AND observed_at >= to_timestamp($2 / 1000.0) AND observed_at < to_timestamp($3 / 1000.0)
      ORDER BY observed_at LIMIT 20001`
    const dayParams = [x, nowMs - DAY_MS, nowMs]
    await c.query('DISCARD PLANS')
    const deviceDay = await explain(c, dayQuery, dayParams)
    console.log(`\n   "last 24 h of device ${x}" — EXPLAIN (ANALYZE, BUFFERS): ${runLine(deviceDay)}\n${indent(deviceDay.text)}`)
    const viewportSql = `SELECT d.id, d.kind, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat, l.stream, l.seq, l.observed_at, l.vals
      FROM device d JOIN latest_state l ON l.device_id = d.id
      WHERE d.geom && ST_MakeEnvelope(${VIEWPORT.join(', ')}, 4326)`
    const viewport = await explain(c, viewportSql)
    console.log(`\n   "all devices in the viewport now" — EXPLAIN (ANALYZE, BUFFERS): ${runLine(viewport)}\n${indent(viewport.text)}`)

    // 3. Device-day latency through readHistory (the route's code), random devices: cold, then warm.
    const pick = mulberry32(11)
    const sample = Array.from({ length: SAMPLES }, () => deviceId(Math.floor(pick() * devices)))
    const timeAll = async () => {
      const out: number[] = []
      let points = 0
      for (const id of sample) {
        const t0 = performance.now()
        const r = await readHistory(db, { deviceId: id, stream: 'traffic', shape: 'traffic', fromMs: nowMs - DAY_MS, toMs: nowMs, agg: 'raw' })
        out.push(performance.now() - t0)
        points += r?.length ?? 0
      }
      return { out, points: points / sample.length }
    }
    const cold = await timeAll()
    const warm = await timeAll()
    // The same query on a bare client, no mapping: what of the latency is the database's.
    const bare: number[] = []
    for (const id of sample) {
      const t0 = performance.now()
      await c.query(dayQuery, [id, nowMs - DAY_MS, nowMs])
      bare.push(performance.now() - t0)
    }
    const latencyMs = {
      coldP50: quantile(cold.out, 0.5),
      coldP99: quantile(cold.out, 0.99),
      warmP50: quantile(warm.out, 0.5),
      warmP99: quantile(warm.out, 0.99),
      bareP50: quantile(bare, 0.5),
      bareP99: quantile(bare, 0.99),
      points: cold.points,
    }
    console.log(
      `\n   device-day latency (readHistory raw, ${fmt(latencyMs.points)} points, ${SAMPLES} random devices): first pass p50 ${fmt(latencyMs.coldP50, 2)} ms / p99 ${fmt(latencyMs.coldP99, 2)} ms; again p50 ${fmt(latencyMs.warmP50, 2)} ms / p99 ${fmt(latencyMs.warmP99, 2)} ms (target p99 ≤ 20 ms); the bare query: p50 ${fmt(latencyMs.bareP50, 2)} / p99 ${fmt(latencyMs.bareP99, 2)} ms`,
    )

    // 4. Planning time, 7 then 70 daily partitions.
    const planning = async () => {
      const lit: number[] = []
      for (let i = 0; i < PLAN_RUNS; i++) lit.push((await explain(c, dayQuery.replace('$1', `'${x}'`).replace('$2', String(nowMs - DAY_MS)).replace('$3', String(nowMs)))).planningMs)
      await c.query(`PREPARE day_q(text, float8, float8) AS ${dayQuery}`)
      await c.query(`SET plan_cache_mode = force_generic_plan`)
      const gen: number[] = []
      const genExec: number[] = []
      for (let i = 0; i < PLAN_RUNS; i++) {
        await c.query('DISCARD PLANS')
        const e = await explain(c, `EXECUTE day_q('${x}', ${nowMs - DAY_MS}, ${nowMs})`)
        gen.push(e.planningMs)
        genExec.push(e.executionMs)
      }
      await c.query('DEALLOCATE day_q')
      await c.query('RESET plan_cache_mode')
      return { literal: quantile(lit, 0.5), generic: quantile(gen, 0.5), genericExec: quantile(genExec, 0.5) }
    }
    const p7 = await planning()
    for (let d = 1; d <= 70 - DAYS; d++) {
      const start = firstDay - d * DAY_MS
      const p = `traffic_reading_p${dayName(start)}`
      await c.query(`CREATE TABLE ${p} (LIKE traffic_reading INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`)
      await c.query(`CREATE UNIQUE INDEX ${p}_seq_key ON ${p} (device_id, stream, seq)`)
      await c.query(`ALTER TABLE traffic_reading ATTACH PARTITION ${p} FOR VALUES FROM ('${new Date(start).toISOString()}') TO ('${new Date(start + DAY_MS).toISOString()}')`)
    }
    await c.query('ANALYZE traffic_reading')
    const p70 = await planning()
    const planningMs = { literal7: p7.literal, literal70: p70.literal, generic7: p7.generic, generic70: p70.generic, genericExec70: p70.genericExec }
    console.log(
      `   planning time (median of ${PLAN_RUNS}), device-day query: literal bounds ${fmt(p7.literal, 3)} ms with 7 partitions, ${fmt(p70.literal, 3)} ms with 70; generic prepared plan (run-time pruning) ${fmt(p7.generic, 3)} ms → ${fmt(p70.generic, 3)} ms (execution ${fmt(p70.genericExec, 3)} ms at 70)`,
    )

    // 5. The real write path on the big table, and the rollup job.
    const writeDevices = 2000
    const minutes = 50
    const wal0 = await walBytes(c)
    let t0 = performance.now()
    for (let m = 0; m < minutes; m++) {
      const at = nowMs - (minutes - m) * 60_000 + 30_000
      const batch: ValidReading[] = Array.from({ length: writeDevices }, (_, i) => ({
        deviceId: `loop-hw-${String(i).padStart(5, '0')}`,
        kind: 'traffic-loop',
        stream: 'traffic',
        shape: 'traffic',
        seq: m + 1,
        observedAtMs: at,
        receivedAtMs: at + 1000,
        quality: 'good',
        values: { flowVehH: 600 + (i % 50), occupancyPct: 8.5, speedKmh: 42, intervalS: 60, lane: 0 },
      }))
      await db.transaction((tx) => writeBatch(tx, { readings: batch, quarantine: [], registrations: [] }))
    }
    const writeS = seconds(t0)
    const readings = writeDevices * minutes
    const walPerReading = ((await walBytes(c)) - wal0) / readings
    t0 = performance.now()
    for (let i = 0; i < 100; i++) if ((await db.transaction((tx) => runRollups(tx))).queueRows === 0) break
    const rollupS = seconds(t0)
    const r1m = await c.query<{ n: string; bytes: string }>(`SELECT count(*) AS n, (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'traffic_1m'::regclass) AS bytes FROM traffic_1m`)
    const writePath = {
      readings,
      readingsPerS: readings / writeS,
      walBytesPerReading: walPerReading,
      rollupRows1m: Number(r1m.rows[0]!.n),
      rollupBytesPer1mRow: Number(r1m.rows[0]!.bytes) / Math.max(1, Number(r1m.rows[0]!.n)),
      rollupS,
    }
    console.log(
      `   write path (writeBatch, ${fmt(writeDevices)} readings per batch into the ${fmt(total)}-row table): ${fmt(writePath.readingsPerS)} readings/s, WAL ${fmt(walPerReading)} B/reading; rollup job ${fmt(rollupS, 2)} s for ${fmt(writePath.rollupRows1m)} 1-min rows (${fmt(writePath.rollupBytesPer1mRow)} B/row with its index)`,
    )

    // 6. One whole closed day (no reading can reach it any more), before and after the compaction job.
    const closed = firstDay + Math.floor(DAYS / 2) * DAY_MS
    const closedP = `traffic_reading_p${dayName(closed)}`
    const closedDay = async () => {
      const caches = await coldCaches()
      // A connection and its catalog caches ready (a query on another day): what is cold is the day's pages.
      await readHistory(db, { deviceId: x, stream: 'traffic', shape: 'traffic', fromMs: firstDay, toMs: firstDay + 3_600_000, agg: 'raw' })
      const e = await explain(c, dayQuery.replace('$1', `'${x}'`).replace('$2', String(closed)).replace('$3', String(closed + DAY_MS)))
      const pass = async () => {
        const out: number[] = []
        for (const id of sample) {
          const t0 = performance.now()
          await readHistory(db, { deviceId: id, stream: 'traffic', shape: 'traffic', fromMs: closed, toMs: closed + DAY_MS, agg: 'raw' })
          out.push(performance.now() - t0)
        }
        return out
      }
      const cold = await pass()
      const warm = await pass()
      const f: ClosedDayFigures = {
        buffers: e.sharedHit + e.sharedRead,
        read: e.sharedRead,
        executionMs: e.executionMs,
        coldP50: quantile(cold, 0.5),
        coldP99: quantile(cold, 0.99),
        warmP50: quantile(warm, 0.5),
        warmP99: quantile(warm, 0.99),
      }
      return { f, caches }
    }
    const line = (f: ClosedDayFigures) =>
      `device ${x}: ${fmt(f.buffers)} buffers (${fmt(f.read)} read), ${fmt(f.executionMs, 2)} ms; readHistory over ${SAMPLES} devices, cold p50 ${fmt(f.coldP50, 2)} / p99 ${fmt(f.coldP99, 2)} ms, again p50 ${fmt(f.warmP50, 2)} / p99 ${fmt(f.warmP99, 2)} ms`
    const before = await closedDay()
    console.log(`\n   one whole closed day (${closedP}), caches ${before.caches.restarted ? 'emptied (PostgreSQL restarted' : 'not emptied (BENCH_DATABASE_URL'}${before.caches.osCacheDropped ? ', OS page cache dropped)' : ', OS page cache kept)'}\n     in ingest order: ${line(before.f)}`)
    const table = partitionedTables().find((t) => t.parent === 'traffic_reading')!
    const part = (await listPartitions(c, 'traffic_reading')).find((p) => p.name === closedP)!
    // The job's own step, at the job's clock: 9 days after the day, when it is closed.
    const done = await db.transaction((tx) => compactPartition(tx, { table, partition: part }, closed + 9 * DAY_MS))
    t0 = performance.now()
    await c.query(`VACUUM (FREEZE, ANALYZE) ${closedP}`)
    const vacuumS = seconds(t0)
    const after = await closedDay()
    console.log(`     compaction job: copy in key order + indexes ${fmt(done.buildMs / 1000, 1)} s, swap ${fmt(done.swapMs, 1)} ms, VACUUM (FREEZE, ANALYZE) ${fmt(vacuumS, 1)} s for ${fmt(done.rows)} rows\n     compacted:      ${line(after.f)} (target p99 ≤ 20 ms)`)
    const compaction: Compaction = { partition: closedP, rows: done.rows, buildS: done.buildMs / 1000, swapMs: done.swapMs, vacuumS, ...after.caches, before: before.f, after: after.f }

    return { rows: total, devices, days: DAYS, load: { ...timing, copyRowsPerS }, bytesPerRow, btreeLevels, deviceDay, viewport, latencyMs, compaction, planningMs, writePath }
  } finally {
    await c.end()
    await db.close()
    await dropDatabase(admin, DB_NAME)
  }
}

async function walBytes(c: pg.ClientBase): Promise<number> {
  const r = await c.query<{ b: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS b`)
  return Number(r.rows[0]!.b)
}

const runLine = (e: Explained) =>
  `first run ${fmt(e.executionMs, 2)} ms (planning ${fmt(e.planningMs, 3)} ms), buffers hit ${fmt(e.sharedHit)} / read ${fmt(e.sharedRead)}; the plan as run again (TIMING OFF):`

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `     ${l}`)
    .join('\n')

async function main(): Promise<void> {
  console.log(`Gemello history benchmark — ${new Date().toISOString()} — sizes ${SIZES.map((n) => fmt(n)).join(', ')} rows, ${DAYS} days — ${load()}`)
  let admin = process.env.BENCH_DATABASE_URL ?? ''
  let stop: (() => void) | null = null
  let cluster: Cluster | null = null
  if (!admin) {
    cluster = startPostgres(await freePort())
    if (!cluster) throw new Error('PostgreSQL 15 binaries not found: set BENCH_DATABASE_URL to a PostgreSQL+PostGIS server')
    stop = cluster.stop
    admin = cluster.url
    console.log(`PostgreSQL: the bench's own cluster with ${Object.entries(BENCH_PG_SETTINGS).map(([k, v]) => `${k}=${v}`).join(', ')}; fsync and synchronous_commit on`)
  } else console.log(`PostgreSQL: ${admin} (BENCH_DATABASE_URL)`)
  const results: SizeResult[] = []
  try {
    for (const rows of SIZES) results.push(await runSize(admin, rows, cluster))
  } finally {
    stop?.()
  }
  console.log('\n== Summary')
  console.log('| rows | B/row | device-day plan: partitions, buffers (hit+read) | exec ms | p50 / p99 ms (first pass) | p50 / p99 ms (again) | closed day, cold p99 ms: ingest order → compacted | planning ms 7 → 70 partitions (literal; generic) |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const r of results) {
    console.log(
      `| ${fmt(r.rows)} | ${fmt(r.bytesPerRow.total, 1)} | ${r.deviceDay.relations.length}, ${fmt(r.deviceDay.sharedHit + r.deviceDay.sharedRead)} | ${fmt(r.deviceDay.executionMs, 2)} | ${fmt(r.latencyMs.coldP50, 2)} / ${fmt(r.latencyMs.coldP99, 2)} | ${fmt(r.latencyMs.warmP50, 2)} / ${fmt(r.latencyMs.warmP99, 2)} | ${fmt(r.compaction.before.coldP99, 2)} → ${fmt(r.compaction.after.coldP99, 2)} | ${fmt(r.planningMs.literal7, 3)} → ${fmt(r.planningMs.literal70, 3)}; ${fmt(r.planningMs.generic7, 3)} → ${fmt(r.planningMs.generic70, 3)} |`,
    )
  }
  const dir = path.join(ROOT, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `history-${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}.json`)
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), days: DAYS, samples: SAMPLES, results }, null, 2))
  console.log(`\nResults: ${path.relative(ROOT, file)} — ${load()}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
