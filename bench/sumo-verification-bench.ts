/**
 * `npx tsx bench/sumo-verification-bench.ts` — what a SUMO verification costs (docs/signals.md,
 * "Verification in SUMO"). Prints figures; never pass/fail.
 *
 * Baseline, same run: the plain scenario, `sumo -c sumo-bologna/joined/run.sumocfg` (one hour of the
 * morning peak on the joined network, ~11,000 cars and the TPER buses), with its outputs (tripinfo,
 * log, e1 loops) redirected into a temporary directory — the city data stays read-only.
 *
 * Gemello, on the embedded database with the joined network, the loop registry and controller 210
 * imported as the city import does: the whole job as the server runs it (claim, files, SUMO with the
 * plan and the measurements, results, the per-edge and per-detector rows), one hour measured:
 *  1. demand 'scenario': the same vehicles as the baseline, plus the plan, the e2/e1/edgeData
 *     measurements and the results;
 *  2. demand 'loop-counts': the real counts of the loops (spire_conteggi 2024, BENCH_SUMO_DATE at
 *     BENCH_SUMO_HOUR, written as readings), routeSampler, a 300 s warm-up and the measured hour.
 *  3. a scenario's verification (the scenario explorer, issue 9): a `sumo-joined` scenario closing the
 *     busiest counted edge, its base that day and hour — the ScenarioSumoRunner's whole job (edits as
 *     additionals, loop-count demand, 300 s warm-up, the measured hour, results per edge and loop, the
 *     fast estimate beside it).
 * Each is run BENCH_SUMO_REPEAT times (default 3, interleaved); medians, the ratio against the baseline's.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { SignalControllerSchema, SignalPlanSchema } from '../contracts/schemas/signal-plan'
import { importDataset } from '../geodata/src/importers/dataset-import'
import { readLoopCounts } from '../geodata/src/readers/loop-counts'
import { deriveSignalModel } from '../geodata/src/sumo/signal-model'
import { parseSumoAdditional } from '../geodata/src/sumo/sumo-additional-parser'
import { parseSumoNet } from '../geodata/src/sumo/sumo-net-parser'
import { openDb } from '../server/src/db/adapter'
import { migrate } from '../server/src/db/migrate'
import { writeBatch, type ValidReading } from '../server/src/db/readings'
import { romeHourStarts } from '../server/src/db/signal-demand'
import { importController } from '../server/src/db/signals'
import { createSumoRun, getSumoRun } from '../server/src/db/sumo-runs'
import { runRollups } from '../server/src/jobs/rollup-job'
import { SumoRunner } from '../server/src/signals/sumo-runner'
import { ScenarioSchema } from '../contracts/schemas/scenario'
import { createScenarioSumoRun, getScenarioSumoRun } from '../server/src/db/scenario-sumo-runs'
import { loopFlowsAt } from '../server/src/db/signal-demand'
import { ScenarioSumoRunner } from '../server/src/scenarios/sumo-verification/scenario-sumo-runner'
import { CITY_DATA_DIR } from '../tests/helpers/test-env'

const REPEAT = Number(process.env.BENCH_SUMO_REPEAT ?? 3)
const DATE = process.env.BENCH_SUMO_DATE ?? '2024-01-11'
const HOUR = Number(process.env.BENCH_SUMO_HOUR ?? 8)
const JOINED = path.join(CITY_DATA_DIR, 'sumo-bologna', 'joined')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const f1 = (x: number) => x.toFixed(1)
const f2 = (x: number) => x.toFixed(2)

/** `sumo -c run.sumocfg`, outputs into a temporary directory; wall seconds. */
async function baseline(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gemello-bench-sumo-'))
  try {
    const cfg = readFileSync(path.join(JOINED, 'run.sumocfg'), 'utf8')
    const additional = /additional-files value="([^"]*)"/.exec(cfg)![1]!.split(',').map((f) => f.trim())
    // The e1 loops write next to their file: a copy writing into the temporary directory.
    const rewritten = additional.map((f) => {
      const text = readFileSync(path.join(JOINED, f), 'utf8')
      if (!/\sfile="/.test(text)) return path.join(JOINED, f)
      writeFileSync(path.join(dir, f), text.replace(/\sfile="[^"]*"/g, ` file="${path.join(dir, 'e1_output.xml')}"`))
      return path.join(dir, f)
    })
    const args = ['-c', path.join(JOINED, 'run.sumocfg'), '--additional-files', rewritten.join(','), '--tripinfo-output', path.join(dir, 'tripinfos.xml'), '--log', path.join(dir, 'sumo_log.txt')]
    const t0 = performance.now()
    const code = await new Promise<number | null>((resolve) => spawn('sumo', args, { stdio: 'ignore', env: { ...process.env, SUMO_HOME: process.env.SUMO_HOME ?? '/usr/share/sumo' } }).on('close', resolve))
    const s = (performance.now() - t0) / 1000
    if (code !== 0) throw new Error(`sumo -c run.sumocfg exited ${code}`)
    return s
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  console.log(`bench:sumo — ${cpus().length} CPUs, load average before: ${loadavg().map(f2).join(' ')}`)
  console.log('setting up: embedded database, loop registry, joined network, controller 210, loop counts …')
  const db = await openDb({ kind: 'embedded', dataDir: null })
  await migrate(db)
  await importDataset(db, 'bologna-loops', path.join(CITY_DATA_DIR, 'bologna-opendata', 'spire_anagrafica_2024.csv'))
  await importDataset(db, 'sumo-joined', path.join(JOINED, 'joined_buslanes.net.xml'))
  const net = parseSumoNet(readFileSync(path.join(JOINED, 'joined_buslanes.net.xml'), 'utf8'), 'joined_buslanes.net.xml').net
  const programs = parseSumoAdditional(readFileSync(path.join(JOINED, 'joined_tls.add.xml'), 'utf8'), 'joined_tls.add.xml').additional.tlLogics
  const m = deriveSignalModel(net, '210', programs, { importedAt: new Date().toISOString() })
  const plan = SignalPlanSchema.parse(m.plans[0])
  await db.transaction((tx) => importController(tx, { controller: SignalControllerSchema.parse({ ...m.controller, networkId: 'sumo-joined' }), plans: [plan], networkId: 'sumo-joined', deviceId: null, dataset: 'bologna-signal-plans' }, { actor: 'system:import', actorRole: 'system' }, Date.now()))

  // The real counts of that day and hour, for the loops the network's detectors are linked to.
  const linked = new Set((await db.query<{ d: string }>("SELECT DISTINCT device_id AS d FROM sumo_detector WHERE network_id = 'sumo-joined' AND device_id IS NOT NULL")).rows.map((r) => r.d))
  const counts = readLoopCounts(path.join(CITY_DATA_DIR, 'bologna-opendata', 'spire_conteggi_2024-01_04_costa_pasubio.csv'))
  const start = romeHourStarts(Date.parse(`${DATE}T00:00:00Z`) / 86_400_000, HOUR)[0]!
  const readings: ValidReading[] = []
  for (const s of counts.records) {
    const day = s.days.find((d) => d.date === DATE)
    if (!linked.has(s.deviceId) || !day) continue
    const at = start + 30 * 60_000
    readings.push({ deviceId: s.deviceId, kind: 'traffic-loop', stream: 'traffic', shape: 'traffic', seq: 1, observedAtMs: at, receivedAtMs: at, quality: 'good', values: { flowVehH: day.counts[HOUR]!, occupancyPct: 0, speedKmh: null, intervalS: 3600, lane: null } })
  }
  await db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
  for (let i = 0; i < 200 && (await db.transaction((tx) => runRollups(tx))).queueRows > 0; i++);
  console.log(`  ${readings.length} of ${linked.size} linked loops have counts on ${DATE} at ${String(HOUR).padStart(2, '0')}:00`)

  const runner = new SumoRunner({ db, log: { info: () => undefined, warn: (o, msg) => console.warn(msg, o), error: (o, msg) => console.error(msg, o) }, cityDataDir: CITY_DATA_DIR })
  const by = { actor: 'bench', actorRole: 'traffic_engineer' }
  const gemello = async (demand: 'scenario' | 'loop-counts') => {
    const run = await createSumoRun(db, '210', { planId: plan.id, version: 1, date: DATE, hour: HOUR, demand, durationS: 3600 }, by, Date.now())
    const t0 = performance.now()
    const outcome = await runner.runNext()
    const s = (performance.now() - t0) / 1000
    const r = (await getSumoRun(db, run.id))!
    if (outcome?.status !== 'done') throw new Error(`run ${run.id} ${outcome?.status}: ${r.error}`)
    return { s, r: r.results! }
  }

  // The scenario explorer's verification: the busiest counted edge of the joined network closed.
  const log = { info: () => undefined, warn: (o: object, msg: string) => console.warn(msg, o), error: (o: object, msg: string) => console.error(msg, o) }
  const scenarioRunner = new ScenarioSumoRunner({ db, log, cityDataDir: CITY_DATA_DIR })
  const flows = await loopFlowsAt(db, [...linked], DATE, HOUR)
  const busiestDevice = [...flows].sort((a, b2) => b2[1] - a[1])[0]![0]
  const busiestEdge = (await db.query<{ e: string }>(`SELECT l.edge_id AS e FROM sumo_detector d JOIN sumo_lane l ON l.network_id = d.network_id AND l.id = d.lane_id WHERE d.network_id = 'sumo-joined' AND d.device_id = $1 LIMIT 1`, [busiestDevice])).rows[0]!.e
  const closure = ScenarioSchema.parse({ id: 'bench-closure', title: 'Bench closure', network: 'sumo-joined', base: { kind: 'observed', date: DATE, hour: HOUR }, edits: [{ kind: 'close-road', edges: [busiestEdge] }] })
  const verification = async () => {
    const run = await createScenarioSumoRun(db, { scenarioId: closure.id, version: 1, document: closure, request: { network: 'joined', hour: HOUR, durationS: 3600 } }, by, Date.now())
    const t0 = performance.now()
    const outcome = await scenarioRunner.runNext()
    const s = (performance.now() - t0) / 1000
    const r = (await getScenarioSumoRun(db, run.id))!
    if (outcome?.status !== 'done') throw new Error(`scenario run ${run.id} ${outcome?.status}: ${r.error}`)
    return { s, r: r.results! }
  }

  const base: number[] = []
  const scen: Array<Awaited<ReturnType<typeof gemello>>> = []
  const loops: Array<Awaited<ReturnType<typeof gemello>>> = []
  const verifications: Array<Awaited<ReturnType<typeof verification>>> = []
  await baseline() // warm-up: file cache
  for (let k = 0; k < REPEAT; k++) {
    base.push(await baseline())
    scen.push(await gemello('scenario'))
    loops.push(await gemello('loop-counts'))
    verifications.push(await verification())
  }
  const b = median(base)
  const row = (label: string, s: number, extra: string) => console.log(`   ${label.padEnd(44)} ${f1(s).padStart(6)} s   ${f2(s / b).padStart(5)}× baseline   ${extra}`)
  console.log(`\nOne hour of the joined network (wall time, median of ${REPEAT}):`)
  row('baseline: sumo -c run.sumocfg', b, '')
  const sr = scen[scen.length - 1]!.r
  row("Gemello, demand 'scenario' (same vehicles)", median(scen.map((x) => x.s)), `${sr.demand.vehicles} vehicles, ${sr.vehiclesInserted} inserted`)
  const lr = loops[loops.length - 1]!.r
  row("Gemello, demand 'loop-counts' (+300 s warm-up)", median(loops.map((x) => x.s)), `${lr.demand.vehicles} sampled vehicles on ${lr.demand.countedEdges} counted edges, routeSampler GEH<5 ${lr.demand.samplerGehBelow5Share === null ? '–' : `${f1(lr.demand.samplerGehBelow5Share * 100)} %`}`)
  const vr = verifications[verifications.length - 1]!.r
  row(`scenario verification: ${busiestEdge} closed`, median(verifications.map((x) => x.s)), `${vr.vehicles} vehicles, ${vr.kpis.teleports} teleports, loops GEH<5 ${vr.gehBelow5Share === null ? '–' : `${f1(vr.gehBelow5Share * 100)} %`}; estimate beside it ${vr.estimateKpis ? `${f1(vr.estimateKpis.vehKm)} veh-km vs SUMO ${f1(vr.kpis.vehKm)}` : '–'}`)
  console.log(`\n   fit of the loop-counts run: GEH < 5 at ${lr.gehBelow5Share === null ? '–' : `${f1(lr.gehBelow5Share * 100)} %`} of ${lr.detectors.filter((d) => d.geh !== null).length} detectors, ${lr.loopGehBelow5Share === null ? '–' : `${f1(lr.loopGehBelow5Share * 100)} %`} of ${lr.loops.filter((l) => l.geh !== null).length} loops`)
  console.log(`   controller 210 (loop-counts): ${lr.approaches.map((a) => `${a.edgeId} ${a.flowVehH} veh/h, delay ${a.delayS ?? '–'} s (estimate ${a.estimate?.delayS ?? '–'} s), queue ${a.queueMaxVeh ?? '–'}`).join('; ')}`)
  console.log(`\nload average after: ${loadavg().map(f2).join(' ')}`)
  await db.close()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
