/**
 * The bare pipe, the same-run ceiling: MQTT (same QoS, plain mqtt.js auto-ack on receipt) →
 * buffer → COPY into an unindexed table → one Socket.IO emit per flush. No validation, no
 * idempotency, no latest state, no ack-after-commit. Same broker kind and database engine as the
 * system under test. IPC: ready → {url, mqttUrl}; 'stats'; 'stop'.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import mqtt from 'mqtt'
import { Server } from 'socket.io'
import { loadConfig } from '../../server/src/config/config'
import { openDb } from '../../server/src/db/adapter'
import { externalBroker, startEmbeddedBroker } from '../../server/src/broker/broker'
import { resolveMqttAuth } from '../../server/src/broker/device-key'

async function main(): Promise<void> {
  const config = loadConfig()
  const db = await openDb(config.db.kind === 'embedded' ? { kind: 'embedded', dataDir: config.db.dataDir } : config.db)
  await db.exec(`DROP TABLE IF EXISTS bare_reading; CREATE TABLE bare_reading (
    device_id text, stream text, observed_at timestamptz, seq bigint, received_at timestamptz, quality text,
    flow_veh_h real, occupancy_pct real, speed_kmh real, interval_s integer, lane smallint)`)
  const auth = await resolveMqttAuth(config.mqttAuth, { dataDir: config.dataDir, embedded: config.mqtt.kind === 'embedded' })
  const broker = config.mqtt.kind === 'embedded' ? await startEmbeddedBroker({ host: '127.0.0.1', port: 0, keyring: auth.keyring! }) : externalBroker(config.mqtt.url, auth)
  const http = createServer()
  const io = new Server(http, { serveClient: false })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()))
  http.on('connection', (s) => s.setNoDelay(true))
  const client = await mqtt.connectAsync(broker.url, { ...(broker.auth.service ?? {}), protocolVersion: broker.protocolVersion, clientId: `bare-${process.pid}`, clean: true })
  ;(client.stream as unknown as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true)
  await client.subscribeAsync('gemello/v1/+/+/+', { qos: 1 })
  let buffer: string[] = []
  let meta: Array<[string, number]> = []
  let flushing = false
  let copied = 0
  const cols = ['device_id', 'stream', 'observed_at', 'seq', 'received_at', 'quality', 'flow_veh_h', 'occupancy_pct', 'speed_kmh', 'interval_s', 'lane']
  const flush = async () => {
    if (flushing || buffer.length === 0) return
    flushing = true
    const rows = buffer
    const m = meta
    buffer = []
    meta = []
    await db.copyRows('bare_reading', cols, rows.join(''))
    copied += rows.length
    io.emit('bare', m)
    flushing = false
    if (buffer.length >= 5000) void flush()
  }
  client.on('message', (topic, payload) => {
    const deviceId = topic.split('/')[3] ?? ''
    const p = JSON.parse(payload.toString()) as { seq: number; observedAt: number; values: { flowVehH: number; occupancyPct: number; speedKmh: number; intervalS: number } }
    const now = new Date().toISOString()
    buffer.push(`${deviceId}\ttraffic\t${new Date(p.observedAt).toISOString()}\t${p.seq}\t${now}\tgood\t${p.values.flowVehH}\t${p.values.occupancyPct}\t${p.values.speedKmh}\t${p.values.intervalS}\t\\N\n`)
    meta.push([deviceId, p.seq])
    if (buffer.length >= 5000) void flush()
  })
  setInterval(() => void flush(), 50)
  let cpu = process.cpuUsage()
  let cpuAt = process.hrtime.bigint()
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, mqttUrl: broker.url, protocolVersion: broker.protocolVersion })
  process.on('message', async (m: { type: string; reqId?: number }) => {
    if (m.type === 'stats') {
      const now = process.hrtime.bigint()
      const used = process.cpuUsage(cpu)
      const wallUs = Number(now - cpuAt) / 1000
      cpu = process.cpuUsage()
      cpuAt = now
      process.send?.({ type: 'stats', reqId: m.reqId, copied, cpuPct: ((used.user + used.system) / wallUs) * 100 })
    } else if (m.type === 'stop') {
      await client.endAsync(true)
      io.close()
      await broker.close()
      await db.exec('DROP TABLE IF EXISTS bare_reading').catch(() => undefined)
      await db.close()
      process.exit(0)
    }
  })
}

main().catch((err: unknown) => {
  process.stderr.write(`bare pipe failed: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
