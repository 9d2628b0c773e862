/**
 * The system under test, in its own process: the full Gemello (ingest with the delivery contract,
 * history + latest state, realtime) with the simulator off and N bench loops registered.
 * Talks to the bench over IPC: ready → {url, mqttUrl}; 'sql' → rows; 'stats'; 'copy' → rows/s; 'stop'.
 */
import { loadConfig } from '../../server/src/config/config'
import { openDb } from '../../server/src/db/adapter'
import { migrate } from '../../server/src/db/migrate'
import { startGemello } from '../../server/src/app/gemello'
import pino from 'pino'

const devices = Number(process.env.BENCH_DEVICES ?? 10_000)
const id = (i: number) => `bench-${String(i).padStart(6, '0')}`
const send = (m: unknown) => process.send?.(m)

async function main(): Promise<void> {
  const config = loadConfig()
  // Register the bench loops before the ingest loads its device registry.
  const db0 = await openDb(config.db.kind === 'embedded' ? { kind: 'embedded', dataDir: config.db.dataDir } : config.db)
  await migrate(db0)
  await db0.query(
    `INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset)
     SELECT 'bench-' || lpad(i::text, 6, '0'), 'traffic-loop', 'Bench loop ' || i,
            ST_SetSRID(ST_MakePoint(11.28 + (i % 100) * 0.0012, 44.47 + (i / 100) * 0.0005), 4326), 60, 'generated', 'bench'
     FROM generate_series(0, $1 - 1) AS i
     ON CONFLICT (id) DO NOTHING`,
    [devices],
  )
  await db0.close()
  const log = pino({ level: 'warn' })
  const g = await startGemello(config, { log, clientDir: null })
  let cpu = process.cpuUsage()
  let cpuAt = process.hrtime.bigint()
  send({ type: 'ready', url: g.url, mqttUrl: g.broker.url, protocolVersion: g.broker.protocolVersion, db: g.db.describe() })
  process.on('message', async (m: { type: string; sql?: string; params?: unknown[]; rows?: number; reqId?: number }) => {
    try {
      if (m.type === 'sql') {
        const r = await g.db.query(m.sql!, m.params)
        send({ type: 'sql', reqId: m.reqId, rows: r.rows })
      } else if (m.type === 'stats') {
        const now = process.hrtime.bigint()
        const used = process.cpuUsage(cpu)
        const wallUs = Number(now - cpuAt) / 1000
        cpu = process.cpuUsage()
        cpuAt = now
        send({ type: 'stats', reqId: m.reqId, ingest: g.ingest?.stats() ?? null, cpuPct: ((used.user + used.system) / wallUs) * 100, rssMb: process.memoryUsage().rss / 1e6 })
      } else if (m.type === 'copy') {
        // Raw COPY of the same kind of rows into the same (indexed) history table, then removed.
        const n = m.rows!
        const base = Date.now() - 86_400_000
        let text = ''
        for (let i = 0; i < n; i++) {
          const t = new Date(base + i).toISOString()
          text += `${id(i % devices)}\ttraffic\t${t}\t${i}\t${t}\tgood\t${300 + (i % 900)}\t${5 + (i % 40)}\t${30 + (i % 25)}\t60\t\\N\n`
        }
        const cols = ['device_id', 'stream', 'observed_at', 'seq', 'received_at', 'quality', 'flow_veh_h', 'occupancy_pct', 'speed_kmh', 'interval_s', 'lane']
        const chunk = 5000
        const lines = text.split('\n')
        const t0 = process.hrtime.bigint()
        for (let i = 0; i < n; i += chunk) await g.db.copyRows('traffic_reading', cols, lines.slice(i, i + chunk).join('\n') + '\n')
        const s = Number(process.hrtime.bigint() - t0) / 1e9
        await g.db.query(`DELETE FROM traffic_reading WHERE observed_at < to_timestamp($1 / 1000.0) AND device_id LIKE 'bench-%'`, [base + n + 1])
        send({ type: 'copy', reqId: m.reqId, rowsPerS: n / s, seconds: s })
      } else if (m.type === 'stop') {
        await g.stop()
        process.exit(0)
      }
    } catch (err) {
      send({ type: 'error', reqId: m.reqId, message: (err as Error).message })
    }
  })
}

main().catch((err: unknown) => {
  process.stderr.write(`SUT failed: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
