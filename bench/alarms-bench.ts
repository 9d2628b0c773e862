/**
 * `npm run bench:alarms` — what alarm evaluation costs (ADR 0006). Prints figures; never pass/fail.
 *
 * 1. Rule engine throughput (pure, in memory): readings/s through the engine with 1,000 rules over
 *    10,000 devices, against the same readings through the 9 default rules in the same run.
 * 2. Alarm latency under load, on the embedded database and (when reachable) on PostgreSQL: the
 *    evaluator (the product's class, with its lease, transactions and events) fed by the live bus at
 *    10,000 readings/s (ten committed batches of 1,000 a second, as the ingest delivers them), with
 *    ~20 alarm activations and clears a second; latency from the batch's publication on the bus to
 *    the alarm arriving at a Socket.IO client on /live (database write, reload, push). The baseline
 *    is the same alarm stream with no other readings, in the same run.
 *
 * The readings are not written to history here (the ingest does that: `npm run bench:ingest`), so
 * the figures are the evaluator's share of a reading's path; the ingest's own latency adds to them.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg } from 'node:os'
import { io, type Socket } from 'socket.io-client'
import { AlarmChangedSchema } from '../contracts/alarm-api'
import { AlarmRuleSchema, type AlarmRule } from '../contracts/alarm-rules'
import { PROTOCOL_VERSION } from '../contracts/events'
import { AlarmEvaluator } from '../server/src/alarms/alarm-evaluator'
import { DEFAULT_RULES } from '../server/src/alarms/default-rules'
import { openDb, type Db } from '../server/src/db/adapter'
import { alarmsByIds, floodState, putRule } from '../server/src/db/alarms'
import { migrate } from '../server/src/db/migrate'
import type { ValidReading } from '../server/src/db/readings'
import { AlarmEngine, type EngineDevice } from '../server/src/domain/alarm-engine'
import { LocalLiveBus } from '../server/src/realtime/live-bus'
import { LiveMirror } from '../server/src/realtime/live-mirror'
import { RealtimeServer } from '../server/src/realtime/realtime-server'
import { TEST_DATABASE_URL } from '../tests/helpers/test-env'
import { createDatabase, dropDatabase } from './lib/services'

const DEVICES = 10_000
const AREAS = 20
const RATE = 10_000
const BATCHES_PER_S = 10
const DURATION_S = Number(process.env.BENCH_ALARM_SECONDS ?? 20)
const TRIGGERS_PER_S = 10

const q = (xs: number[], p: number) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!)
const f0 = (x: number) => x.toFixed(0)
const f1 = (x: number) => x.toFixed(1)
const texts = { cause: 'Generated rule for the benchmark.', consequence: 'Generated consequence for the benchmark.', response: 'Generated response for the benchmark.' }
const deviceId = (i: number) => `bl-${String(i).padStart(5, '0')}`
const areaOf = (i: number) => `area-${i % AREAS}`

/** 1,000 rules the way a city would write them: most per device or per area, a few corridors. */
function thousandRules(): AlarmRule[] {
  const rules: AlarmRule[] = []
  const r = (doc: Record<string, unknown>) => rules.push(AlarmRuleSchema.parse({ name: `Bench ${doc.id as string}`, priority: 'low', ...texts, ...doc }))
  for (let k = 0; k < 600; k++) r({ id: `thr-${k}`, type: 'threshold', metric: k % 2 ? 'occupancyPct' : 'flowVehH', above: k % 2 ? 70 : 2400, deadband: 5, delayS: 60, scope: { deviceIds: Array.from({ length: 5 }, (_, j) => deviceId((k * 5 + j) % DEVICES)) } })
  for (let k = 0; k < 200; k++) r({ id: `cong-${k}`, type: 'congestion', delayS: 120, scope: { area: { layer: 'quartieri', id: areaOf(k) }, hours: { days: [1, 2, 3, 4, 5], from: k % 2 ? '07:00' : '16:00', to: k % 2 ? '10:00' : '20:00' } } })
  for (let k = 0; k < 100; k++) r({ id: `flat-${k}`, type: 'flatline', metric: 'flowVehH', windowS: 2700, scope: { area: { layer: 'quartieri', id: areaOf(k) } } })
  for (let k = 0; k < 80; k++) r({ id: `corr-${k}`, type: 'congestion', priority: 'medium', corridor: { deviceIds: Array.from({ length: 10 }, (_, j) => deviceId((k * 37 + j * 11) % DEVICES)), minLoops: 3 } })
  for (let k = 0; k < 20; k++) r({ id: `slow-${k}`, type: 'threshold', metric: 'speedKmh', below: 8, delayS: 120, scope: { area: { layer: 'zone', id: areaOf(k) } } })
  return rules
}

function reading(i: number, t: number, seq: number, trigger: 'on' | 'off' | null): ValidReading {
  const base = { flowVehH: 300 + ((i * 7 + seq) % 900), occupancyPct: 5 + ((i + seq) % 40), speedKmh: 30 + (i % 25), intervalS: 60 }
  const values = trigger === 'on' ? { ...base, flowVehH: 2600 } : trigger === 'off' ? { ...base, flowVehH: 500 } : base
  return { deviceId: deviceId(i), kind: 'traffic-loop', stream: 'traffic', shape: 'traffic', seq, observedAtMs: t, receivedAtMs: t, quality: 'good', values }
}

function engineThroughput(): void {
  const devices: EngineDevice[] = Array.from({ length: DEVICES }, (_, i) => ({ id: deviceId(i), kind: 'traffic-loop', name: deviceId(i), expectedIntervalS: 60, areas: [areaOf(i)] }))
  const readings = Array.from({ length: 200_000 }, (_, k) => reading(k % DEVICES, Date.UTC(2026, 10, 26, 7) + k * 6, k, null))
  const run = (rules: readonly AlarmRule[]) => {
    const e = new AlarmEngine(rules, devices)
    let changes = 0
    const t0 = performance.now()
    for (const r of readings) changes += e.reading(r).length
    const ms = performance.now() - t0
    return { perS: readings.length / (ms / 1000), changes }
  }
  run(DEFAULT_RULES) // warm-up
  const base = [run(DEFAULT_RULES), run(DEFAULT_RULES)]
  const big = [run(thousandRules()), run(thousandRules())]
  const b = Math.max(...base.map((x) => x.perS))
  const k = Math.max(...big.map((x) => x.perS))
  console.log('\n1. Rule engine, 10,000 loops, 200,000 readings (best of 2):')
  console.log(`   9 default rules    ${f0(b).padStart(10)} readings/s   (${base[0]!.changes} condition changes)`)
  console.log(`   1,000 rules        ${f0(k).padStart(10)} readings/s   (${big[0]!.changes} condition changes)   ratio ${f1(b / k)}× the baseline's time per reading`)
}

interface Latency {
  samples: number[]
  published: number
  evaluated: number
  lost: number
}

async function latencyRun(db: Db, background: boolean): Promise<Latency> {
  await db.query('DELETE FROM alarm_event')
  await db.query('DELETE FROM alarm')
  await db.query('DELETE FROM alarm_flood')
  await db.query('DELETE FROM alarm_lease')
  const bus = new LocalLiveBus()
  const http: Server = createServer()
  const mirror = new LiveMirror({ retainEntries: 100 })
  const rt = new RealtimeServer(http, { mirror, defaultCadenceMs: 250, sessions: null, heartbeat: () => ({ ingest: { brokerConnected: true, dbHealthy: true, pending: 0, lastCommitAtMs: null, workers: 1 }, quarantine: { total: 0, lastReason: null, lastAtMs: null }, liveFeed: 'up', rootCause: null }) })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()))
  let publishing = Promise.resolve()
  const ev = new AlarmEvaluator({
    db,
    bus,
    log: { info: () => undefined, warn: () => undefined, error: (o, m) => console.error(m, o) },
    rootCause: () => null,
    publish: (ids) => {
      publishing = publishing.then(async () => {
        const t = Date.now()
        const [alarms, flood] = await Promise.all([alarmsByIds(db, ids), floodState(db, t)])
        rt.emitAlarms({ serverTimeMs: t, alarms, flood })
      })
    },
  })
  await ev.start()
  while (!ev.isLeader()) await new Promise((r) => setTimeout(r, 50))
  await ev.settled()
  const client: Socket = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'] })
  await new Promise<void>((r) => client.on('connect', () => r()))
  // Subject → [time the triggering batch was published, expected state]
  const pending = new Map<string, { at: number; active: boolean }>()
  const samples: number[] = []
  client.on('alarm:changed', (raw: unknown) => {
    const now = performance.now()
    for (const a of AlarmChangedSchema.parse(raw).alarms) {
      const p = pending.get(a.subject)
      if (p && p.active === a.active) {
        samples.push(now - p.at)
        pending.delete(a.subject)
      }
    }
  })
  let seq = 1
  let published = 0
  const on = new Set<number>()
  const t0 = Date.now()
  const batchMs = 1000 / BATCHES_PER_S
  const perBatch = background ? RATE / BATCHES_PER_S : 0
  for (let b = 0; b < DURATION_S * BATCHES_PER_S; b++) {
    const due = performance.now() + batchMs
    const t = t0 + b * batchMs
    const batch: ValidReading[] = []
    for (let k = 0; k < perBatch; k++) batch.push(reading((b * perBatch + k) % DEVICES, t, seq++, null))
    // Triggers: devices covered by the 1,000 rules' first threshold rules (flowVehH above 2400, delay 60 s is
    // not reached here), so they use the rule 'bench-latency' below (no delay): on one second, off the next.
    if (b % BATCHES_PER_S === 0) {
      const sec = b / BATCHES_PER_S
      for (let k = 0; k < TRIGGERS_PER_S; k++) {
        const i = 9000 + ((sec * TRIGGERS_PER_S + k) % 500)
        const active = !on.has(i)
        if (active) on.add(i)
        else on.delete(i)
        batch.push(reading(i, t, seq++, active ? 'on' : 'off'))
        pending.set(deviceId(i), { at: performance.now(), active })
      }
    }
    bus.publishReadings(batch)
    published += batch.length
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  }
  // Let the tail arrive.
  const end = performance.now() + 10_000
  while (pending.size > 0 && performance.now() < end) await new Promise((r) => setTimeout(r, 50))
  const lost = pending.size
  const evaluated = ev.stats.readings
  client.close()
  await ev.stop()
  await publishing
  await rt.close()
  return { samples, published, evaluated, lost }
}

async function latency(db: Db, label: string): Promise<void> {
  await migrate(db)
  await db.query(`DELETE FROM alarm_rule`)
  await db.query(`DELETE FROM device`)
  await db.query(`DELETE FROM area`)
  for (let a = 0; a < AREAS; a++) {
    const x = 11.3 + (a % 5) * 0.02
    const y = 44.47 + Math.floor(a / 5) * 0.015
    await db.query(`INSERT INTO area (id, kind, code, name, dataset, geom) VALUES ($1, 'quartiere', $1, $1, 'bench', ST_MakeEnvelope($2, $3, $4, $5, 4326))`, [areaOf(a), x, y, x + 0.02, y + 0.015])
  }
  await db.query(
    `INSERT INTO device (id, kind, name, geom, expected_interval_s, source)
     SELECT 'bl-' || lpad(i::text, 5, '0'), 'traffic-loop', 'bench loop ' || i,
       ST_SetSRID(ST_MakePoint(11.3 + ((i % 20) % 5) * 0.02 + 0.01, 44.47 + ((i % 20) / 5) * 0.015 + 0.007), 4326), 60, 'generated'
     FROM generate_series(0, ${DEVICES - 1}) AS i`,
  )
  const rules = [...DEFAULT_RULES, ...thousandRules(), AlarmRuleSchema.parse({ id: 'bench-latency', name: 'Bench latency', type: 'threshold', metric: 'flowVehH', above: 2500, priority: 'medium', ...texts, scope: { deviceIds: Array.from({ length: 500 }, (_, k) => deviceId(9000 + k)) } })]
  await db.transaction(async (tx) => {
    for (const r of rules) await putRule(tx, r, 'bench', Date.now())
  })
  const idle = await latencyRun(db, false)
  const load = await latencyRun(db, true)
  const row = (name: string, l: Latency) =>
    `   ${name.padEnd(34)} n=${String(l.samples.length).padStart(4)}  p50 ${f1(q(l.samples, 0.5)).padStart(6)} ms  p95 ${f1(q(l.samples, 0.95)).padStart(6)} ms  p99 ${f1(q(l.samples, 0.99)).padStart(6)} ms  max ${f1(Math.max(...l.samples)).padStart(6)} ms  evaluated ${l.evaluated}/${l.published}  lost ${l.lost}`
  console.log(`\n2. Alarm latency, bus → alarm on a /live client, ${label}, ${rules.length} rules, ${DEVICES} devices, ${DURATION_S} s:`)
  console.log(row('baseline: alarms only', idle))
  console.log(row(`under ${RATE.toLocaleString('en')} readings/s`, load))
  console.log(`   p99 ratio under load / baseline: ${f1(q(load.samples, 0.99) / q(idle.samples, 0.99))}×`)
}

async function main(): Promise<void> {
  console.log(`bench:alarms — load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  engineThroughput()
  const embedded = await openDb({ kind: 'embedded', dataDir: null })
  try {
    await latency(embedded, 'embedded PGlite')
  } finally {
    await embedded.close()
  }
  const name = 'gemello_bench_alarms'
  let url: string | null = null
  try {
    url = await createDatabase(TEST_DATABASE_URL, name)
  } catch (err) {
    console.log(`\n(PostgreSQL at ${TEST_DATABASE_URL} not reachable: ${(err as Error).message}; services mode skipped)`)
  }
  if (url) {
    const db = await openDb({ kind: 'server', url })
    try {
      await latency(db, 'PostgreSQL 15')
    } finally {
      await db.close()
      await dropDatabase(TEST_DATABASE_URL, name)
    }
  }
  console.log(`\nload average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
