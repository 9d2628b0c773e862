/**
 * `npm run bench:ingest` — readings/s through MQTT → PostGIS (history + latest) → a Socket.IO
 * client, with publish→client latency, loss and duplicate checks, on real services and embedded.
 * In the same run it measures the ceilings to compare with: a bare pipe at the same QoS
 * (MQTT → COPY → Socket.IO, no validation or idempotency, same publisher connections) and a raw
 * COPY of the same rows into the same history table. Prints figures and ratios; never pass/fail.
 *
 *   npm run bench:ingest -- [--mode services|embedded|both] [--rate N] [--duration S]
 *                           [--low-rate N] [--saturation S] [--devices N] [--connections N] [--cadence MS]
 *
 * Separate processes, as in production: publisher, system under test (SUT), bare pipe, and this
 * process, which is the Socket.IO client that measures.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bareClient, gemelloClient, Recorder } from './lib/live-client'
import { TEST_ADMIN_ENV } from '../tests/helpers/staff-session'
import { BENCH_PG_SETTINGS, startPostgres } from './lib/postgres-cluster'
import { cpuNow, perReading, type CpuPerReading, type Probe } from './lib/proc-cpu'
import { publish, startChild, stopChild, type Ipc } from './lib/processes'
import { createDatabase, dropDatabase, freePort, startMosquitto } from './lib/services'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : def
}
const MODES = arg('mode', 'both') === 'both' ? ['services', 'embedded'] : [arg('mode', 'both')]
const DEVICES = Number(arg('devices', '10000'))
const CONNECTIONS = Number(arg('connections', '4'))
const CADENCE = Number(arg('cadence', '25'))
const DURATION = Number(arg('duration', '60'))
const SATURATION_S = Number(arg('saturation', '15'))
const LOW_RATE = Number(arg('low-rate', '2000'))
/** Where bench databases are created: BENCH_DATABASE_URL, else the bench's own tuned cluster (see lib/postgres-cluster.ts). */
let PG_ADMIN = process.env.BENCH_DATABASE_URL ?? ''

interface PhaseResult {
  cpu: CpuPerReading
  name: string
  offeredPerS: number
  processedPerS: number
  published: number
  stored: number
  lost: number
  duplicatesStored: number
  clientDuplicates: number
  clientFinalMismatch: number
  deliveredToClient: number
  p50: number
  p99: number
  sutRssMb: number
}

async function countBench(sut: Ipc): Promise<number> {
  const r = await sut.request<{ rows: Array<{ n: number }> }>({ type: 'sql', sql: `SELECT count(*)::int AS n FROM traffic_reading WHERE device_id LIKE 'bench-%'` })
  return Number(r.rows[0]?.n)
}

/** Rows stored twice under one key: the primary key forbids it; checked once per run anyway. */
async function duplicatesStored(sut: Ipc): Promise<number> {
  const r = await sut.request<{ rows: Array<{ d: number }> }>({
    type: 'sql',
    sql: `SELECT (count(*) - count(DISTINCT (device_id, stream, observed_at)))::int AS d FROM traffic_reading WHERE device_id LIKE 'bench-%'`,
  })
  return Number(r.rows[0]?.d)
}

const ingestStored = async (sut: Ipc) => (await sut.request<{ ingest: { stored: number } }>({ type: 'stats' })).ingest.stored

/** Set per mode: the device key when the brokers authenticate devices (embedded), none on the bench's open Mosquitto. */
let publisherKey: string | undefined

async function gemelloPhase(name: string, sut: Ipc, probe: Probe, rec: Recorder, rate: number, seconds: number): Promise<PhaseResult> {
  const before = await countBench(sut)
  const stored0 = await ingestStored(sut)
  rec.reset()
  const cpu0 = cpuNow(probe)
  const pub = await publish(String(sut.ready.mqttUrl), Number(sut.ready.protocolVersion), rate, seconds, { devices: DEVICES, connections: CONNECTIONS, deviceKey: publisherKey })
  // Drain: wait until the ingest has stored every published reading (its own counter: no query load).
  const deadline = Date.now() + 120_000
  while ((await ingestStored(sut)) - stored0 < pub.published && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  const drainedAt = Date.now()
  const cpu1 = cpuNow(probe)
  const stats = await sut.request<{ cpuPct: number; rssMb: number }>({ type: 'stats' })
  await new Promise((r) => setTimeout(r, CADENCE * 4 + 300))
  let mismatch = 0
  for (const [d, seq] of Object.entries(pub.perDeviceLastSeq)) if (rec.last.get(d) !== seq) mismatch++
  const stored = (await countBench(sut)) - before
  return {
    name,
    cpu: perReading(cpu0, cpu1, pub.cpuSeconds, stored),
    offeredPerS: pub.published / pub.sendSeconds,
    // Over the publishing time plus the time it took to store what was still queued.
    processedPerS: stored / (pub.sendSeconds + (drainedAt - pub.exitedAt) / 1000),
    published: pub.published,
    stored,
    lost: pub.published - stored,
    duplicatesStored: 0,
    clientDuplicates: rec.dup,
    clientFinalMismatch: mismatch,
    deliveredToClient: rec.delivered,
    p50: rec.pct(50),
    p99: rec.pct(99),
    sutRssMb: stats.rssMb,
  }
}

async function barePhase(bare: Ipc, probe: Probe, rec: Recorder, seconds: number): Promise<PhaseResult> {
  const before = await bare.request<{ copied: number }>({ type: 'stats' })
  rec.reset()
  const cpu0 = cpuNow(probe)
  const pub = await publish(String(bare.ready.mqttUrl), Number(bare.ready.protocolVersion), 0, seconds, { devices: DEVICES, connections: CONNECTIONS, deviceKey: publisherKey })
  let s = await bare.request<{ copied: number; cpuPct: number }>({ type: 'stats' })
  const deadline = Date.now() + 60_000
  while (s.copied - before.copied < pub.published && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100))
    s = await bare.request({ type: 'stats' })
  }
  const drainedAt = Date.now()
  const cpu1 = cpuNow(probe)
  const stored = s.copied - before.copied
  return {
    name: 'bare pipe, saturated',
    cpu: perReading(cpu0, cpu1, pub.cpuSeconds, stored),
    offeredPerS: pub.published / pub.sendSeconds,
    processedPerS: stored / (pub.sendSeconds + (drainedAt - pub.exitedAt) / 1000),
    published: pub.published,
    stored,
    lost: pub.published - stored,
    duplicatesStored: 0,
    clientDuplicates: rec.dup,
    clientFinalMismatch: 0,
    deliveredToClient: rec.delivered,
    p50: rec.pct(50),
    p99: rec.pct(99),
    sutRssMb: NaN,
  }
}

// ------------------------------------------------------------------------------------------

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–')

async function runMode(mode: string): Promise<Record<string, unknown>> {
  const rate = Number(arg('rate', mode === 'services' ? '25000' : '2000'))
  const cleanup: Array<() => Promise<void> | void> = []
  // One device key for the SUT, the bare pipe and the publisher. The embedded brokers check every device's
  // password and ACL, so there each device publishes on its own connection; the bench's Mosquitto is open.
  const env: NodeJS.ProcessEnv = { SIMULATOR: 'off', LOG_LEVEL: 'warn', PORT: '0', CITY_DATA_DIR: path.join(tmpdir(), 'gemello-bench-no-city'), BENCH_DEVICES: String(DEVICES), DEVICE_KEY: randomBytes(32).toString('hex'), ...TEST_ADMIN_ENV }
  const bareEnv: NodeJS.ProcessEnv = { ...env }
  publisherKey = mode === 'services' ? undefined : env.DEVICE_KEY
  let brokerNote = 'embedded aedes (MQTT 3.1.1)'
  let brokerPid: number | null = null
  let bareBrokerPid: number | null = null
  if (mode === 'services') {
    if (!PG_ADMIN) {
      const cluster = startPostgres(await freePort())
      if (!cluster) throw new Error('PostgreSQL 15 binaries not found: set BENCH_DATABASE_URL to a PostgreSQL+PostGIS server')
      cleanup.push(() => cluster.stop())
      PG_ADMIN = cluster.url
      console.log(`   PostgreSQL: own cluster with ${Object.entries(BENCH_PG_SETTINGS).map(([k, v]) => `${k}=${v}`).join(', ')}; fsync and synchronous_commit on`)
    } else console.log(`   PostgreSQL: ${PG_ADMIN} (as configured)`)
    // One broker each: the SUT's ingest must not see the bare pipe's traffic, nor the other way round.
    const mq = await startMosquitto()
    const mqBare = await startMosquitto()
    cleanup.push(() => mq.stop(), () => mqBare.stop())
    brokerNote = `Mosquitto ${spawnSync('mosquitto', ['-h']).stdout.toString().match(/mosquitto version ([\d.]+)/)?.[1] ?? ''} (MQTT 5), ${mq.conf}`
    env.MQTT_URL = mq.url
    bareEnv.MQTT_URL = mqBare.url
    brokerPid = mq.pid
    bareBrokerPid = mqBare.pid
    env.DATABASE_URL = await createDatabase(PG_ADMIN, 'gemello_bench_sut')
    bareEnv.DATABASE_URL = await createDatabase(PG_ADMIN, 'gemello_bench_bare')
    if (process.env.BENCH_DATABASE_URL) cleanup.push(() => dropDatabase(PG_ADMIN, 'gemello_bench_sut'), () => dropDatabase(PG_ADMIN, 'gemello_bench_bare'))
  } else {
    const d1 = mkdtempSync(path.join(tmpdir(), 'gemello-bench-sut-'))
    const d2 = mkdtempSync(path.join(tmpdir(), 'gemello-bench-bare-'))
    env.DATA_DIR = d1
    env.MQTT_PORT = '0'
    bareEnv.DATA_DIR = d2
    cleanup.push(() => rmSync(d1, { recursive: true, force: true }), () => rmSync(d2, { recursive: true, force: true }))
  }
  console.log(`\n== ${mode}: ${brokerNote}; ${DEVICES} devices, ${CONNECTIONS} publisher connections, QoS 1, client cadence ${CADENCE} ms`)
  const results: PhaseResult[] = []
  let copy = { rowsPerS: NaN }
  try {
    const sut = await startChild('bench/lib/sut.ts', env)
    console.log(`   SUT ready: ${String(sut.ready.db)}`)
    const rec = new Recorder()
    const client = await gemelloClient(String(sut.ready.url), rec, CADENCE)
    const probe: Probe = { sutPid: sut.proc.pid!, brokerPid, postgres: mode === 'services' }
    // The latency phase runs first, on a fresh database: the later phases leave a backlog of
    // autovacuum work (a million rows) that would run underneath it.
    const low = await gemelloPhase(`Gemello at ${fmt(LOW_RATE)}/s`, sut, probe, rec, LOW_RATE, 20)

    const bare = await startChild('bench/lib/bare-pipe.ts', bareEnv)
    const bareRec = new Recorder()
    const bareSock = await bareClient(String(bare.ready.url), bareRec)
    results.push(await barePhase(bare, { sutPid: bare.proc.pid!, brokerPid: bareBrokerPid, postgres: mode === 'services' }, bareRec, SATURATION_S))
    bareSock.close()
    await stopChild(bare)
    console.log(`   bare pipe ceiling: ${fmt(results.at(-1)!.processedPerS)} readings/s`)

    results.push(await gemelloPhase('Gemello, saturated', sut, probe, rec, 0, SATURATION_S))
    console.log(`   Gemello ceiling: ${fmt(results.at(-1)!.processedPerS)} readings/s`)
    results.push(await gemelloPhase(`Gemello at ${fmt(rate)}/s for ${DURATION} s`, sut, probe, rec, rate, DURATION))
    results.push(low)
    copy = await sut.request<{ rowsPerS: number }>({ type: 'copy', rows: mode === 'services' ? 500_000 : 100_000 })
    console.log(`   raw COPY into traffic_reading: ${fmt(copy.rowsPerS)} rows/s`)
    const dups = await duplicatesStored(sut)
    for (const r of results.slice(1)) r.duplicatesStored = dups
    client.close()
    await stopChild(sut)
  } finally {
    for (const c of cleanup.reverse()) await c()
  }

  const bareR = results[0]!
  console.log('')
  console.log(`   ${'phase'.padEnd(34)} ${'offered/s'.padStart(10)} ${'stored/s'.padStart(10)} ${'lost'.padStart(6)} ${'dup'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'× bare'.padStart(7)}`)
  for (const r of results) {
    console.log(
      `   ${r.name.padEnd(34)} ${fmt(r.offeredPerS).padStart(10)} ${fmt(r.processedPerS).padStart(10)} ${fmt(r.lost).padStart(6)} ${fmt(r.duplicatesStored + r.clientDuplicates).padStart(5)} ${fmt(r.p50, 1).padStart(8)} ${fmt(r.p99, 1).padStart(8)} ${fmt(r.processedPerS / bareR.processedPerS, 2).padStart(7)}`,
    )
  }
  console.log('')
  console.log(`   CPU per stored reading (µs; ${cpus().length} cores = ${fmt(cpus().length * 1e6)} µs per second)`)
  console.log(`   ${'phase'.padEnd(34)} ${'publisher'.padStart(9)} ${'broker'.padStart(7)} ${mode === 'services' ? 'SUT node' : 'SUT (all)'.padStart(9)} ${'postgres'.padStart(8)} ${'client'.padStart(7)} ${'total'.padStart(7)} ${'→ max/s'.padStart(8)}`)
  for (const r of results) {
    const c = r.cpu
    console.log(
      `   ${r.name.padEnd(34)} ${fmt(c.publisher).padStart(9)} ${(c.broker === null ? 'in SUT' : fmt(c.broker)).padStart(7)} ${fmt(c.sut).padStart(9)} ${(c.postgres === null ? 'in SUT' : fmt(c.postgres)).padStart(8)} ${fmt(c.client).padStart(7)} ${fmt(c.total).padStart(7)} ${fmt((cpus().length * 1e6) / c.total).padStart(8)}`,
    )
  }
  const sat = results[1]!
  console.log(`   ratios: Gemello ceiling / bare pipe = ${fmt(sat.processedPerS / bareR.processedPerS, 2)}; Gemello ceiling / raw COPY = ${fmt(sat.processedPerS / copy.rowsPerS, 2)}; bare pipe / raw COPY = ${fmt(bareR.processedPerS / copy.rowsPerS, 2)}`)
  for (const r of results.slice(1)) {
    if (r.clientFinalMismatch > 0) console.log(`   ! ${r.name}: ${r.clientFinalMismatch} devices whose final client state differs from their last published reading`)
  }
  return { mode, broker: brokerNote, copyRowsPerS: copy.rowsPerS, phases: results }
}

async function main(): Promise<void> {
  console.log(`Gemello ingest benchmark — ${new Date().toISOString()} — ${cpus().length} cores, Node ${process.versions.node}`)
  const all = []
  for (const m of MODES) all.push(await runMode(m))
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
  const file = path.join(ROOT, 'bench/results', `ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, JSON.stringify(all, null, 2))
  console.log(`\nresults: ${path.relative(ROOT, file)}`)
  process.exit(0)
}

void main()
