import { randomBytes } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Aedes } from 'aedes'
import net from 'node:net'
import { createTestDb, type TestDb } from '../../tests/helpers/test-db'
import { createTestBroker, type TestBroker } from '../../tests/helpers/test-broker'
import { waitFor } from '../../tests/helpers/wait-for'
import { registration } from '../../tests/helpers/factories'
import { serviceCredentials, testKeyring } from '../../tests/helpers/test-mqtt-identity'
import type { MqttIdentity } from '../../contracts/mqtt-identity'
import { writeBatch, type ValidReading } from '../../server/src/db/readings'
import type { Db } from '../../server/src/db/adapter'
import { IngestService } from './ingest-service'

let t: TestDb
let broker: TestBroker
/** One connection per publisher identity, as the broker's ACL requires: each device, and a FIWARE gateway. */
const pubs = new Map<string, Promise<MqttClient>>()
const committed: ValidReading[] = []
let ingest: IngestService

const NOW = () => Date.now()
const traffic = (flow: number) => ({ flowVehH: flow, occupancyPct: 5, speedKmh: 45, intervalS: 60 })
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query<{ n: number }>(sql, params)).rows[0]?.n)

beforeAll(async () => {
  t = await createTestDb()
  broker = await createTestBroker()
  await t.db.transaction((tx) =>
    writeBatch(tx, { readings: [], quarantine: [], registrations: [registration({ deviceId: 'loop-i1' }), registration({ deviceId: 'loop-i2' }), registration({ deviceId: 'aq-i1', kind: 'air-quality', expectedIntervalS: 3600 })] }),
  )
  ingest = new IngestService({
    db: t.db,
    mqttUrl: broker.url,
    protocolVersion: broker.protocolVersion,
    clientId: broker.clientId('ingest'),
    credentials: await serviceCredentials(),
    shareGroup: broker.clientId('group'),
    maxBatch: 500,
    lingerMs: 5,
    maxPending: 2000,
    onCommitted: (latest) => committed.push(...latest),
  })
  await ingest.start()
})
afterAll(async () => {
  for (const p of pubs.values()) await (await p).endAsync()
  await ingest?.stop()
  await broker?.close()
  await t?.drop()
})

function publisher(topic: string): Promise<MqttClient> {
  const level = topic.split('/')
  const identity: MqttIdentity = level[2] === 'fiware' ? { type: 'gateway', name: 'test-gateway' } : { type: 'device', deviceId: level[3]! }
  const key = JSON.stringify(identity)
  if (!pubs.has(key)) pubs.set(key, testKeyring().then(async (ring) => mqtt.connectAsync(broker.url, { ...(await ring.credentials(identity)), protocolVersion: broker.protocolVersion, clientId: broker.clientId(`pub-${pubs.size}`) })))
  return pubs.get(key)!
}
const send = async (topic: string, payload: unknown) => (await publisher(topic)).publishAsync(topic, Buffer.isBuffer(payload) ? payload : typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 })

describe('IngestService: MQTT → PostGIS', () => {
  it('stores readings, keeps duplicates out, and publishes the new latest state after commit', async () => {
    const base = NOW() - 600_000
    for (let i = 0; i < 10; i++) await send('gemello/v1/traffic-loop/loop-i1/traffic', { seq: i, observedAt: base + i * 60_000, values: traffic(100 + i) })
    // The same reading again (a QoS 1 re-send) and again with other values (a conflicting duplicate).
    await send('gemello/v1/traffic-loop/loop-i1/traffic', { seq: 9, observedAt: base + 9 * 60_000, values: traffic(109) })
    await send('gemello/v1/traffic-loop/loop-i1/traffic', { seq: 9, observedAt: base + 9 * 60_000, values: traffic(999) })
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM ingest_conflict WHERE device_id = 'loop-i1'`)) === 1, 'the conflict row')
    expect(await count(`SELECT count(*) AS n FROM traffic_reading WHERE device_id = 'loop-i1'`)).toBe(10)
    const latest = await t.db.query<{ seq: number; vals: { flowVehH: number } }>(`SELECT seq, vals FROM latest_state WHERE device_id = 'loop-i1'`)
    expect(latest.rows[0]).toMatchObject({ seq: 9, vals: { flowVehH: 109 } })
    expect(committed.filter((r) => r.deviceId === 'loop-i1').at(-1)?.seq).toBe(9)
    expect(ingest.stats().duplicates).toBeGreaterThanOrEqual(1)
  })

  it('quarantines every malformed message with its reason and keeps going', async () => {
    const before = await count('SELECT count(*) AS n FROM ingest_quarantine')
    await send('gemello/v1/traffic-loop/loop-i1/traffic', '{"seq": 1, "observedAt": ')
    await send('gemello/v1/traffic-loop/loop-i1/traffic', Buffer.from([0xff, 0xfe, 0xfd]))
    await send('gemello/v1/traffic-loop/loop-ghost/traffic', { seq: 1, observedAt: NOW(), values: traffic(10) })
    await send('gemello/v1/traffic-loop/loop-i1/traffic', { seq: 1, observedAt: NOW() + 3_600_000, values: traffic(10) })
    await send('gemello/v1/nope/loop-i1/traffic', { seq: 1, observedAt: NOW(), values: traffic(10) })
    await send('gemello/v1/traffic-loop/loop-i2/traffic', { seq: 1, observedAt: NOW() - 1000, values: traffic(321) })
    await waitFor(async () => (await count('SELECT count(*) AS n FROM ingest_quarantine')) === before + 5, 'five quarantine rows')
    const reasons = await t.db.query<{ reason: string }>('SELECT reason FROM ingest_quarantine ORDER BY id DESC LIMIT 5')
    expect(reasons.rows.map((r) => r.reason).sort()).toEqual(['invalid_json', 'invalid_utf8', 'timestamp_too_far_future', 'unknown_device', 'unknown_kind'])
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM traffic_reading WHERE device_id = 'loop-i2'`)) === 1, 'the valid reading after the bad ones')
  })

  it('accepts readings from a device registered a moment earlier over MQTT', async () => {
    const id = `loop-new-${randomBytes(3).toString('hex')}`
    await send(`gemello/v1/traffic-loop/${id}/register`, { name: 'New loop', position: [11.35, 44.5], expectedIntervalS: 60 })
    await send(`gemello/v1/traffic-loop/${id}/traffic`, { seq: 1, observedAt: NOW() - 1000, values: traffic(50) })
    await waitFor(async () => (await count('SELECT count(*) AS n FROM traffic_reading WHERE device_id = $1', [id])) === 1, 'the new device reading')
    expect(await count(`SELECT count(*) AS n FROM device WHERE id = $1 AND source = 'registered'`, [id])).toBe(1)
  })

  it('ingests FIWARE TrafficFlowObserved on the FIWARE topic', async () => {
    const to = new Date(Math.floor(NOW() / 60_000) * 60_000 - 60_000)
    const from = new Date(to.getTime() - 300_000)
    await send('gemello/v1/fiware/TrafficFlowObserved', {
      id: 'urn:ngsi-ld:TrafficFlowObserved:x1', type: 'TrafficFlowObserved', refDevice: 'urn:ngsi-ld:Device:loop-i2',
      dateObservedFrom: from.toISOString(), dateObservedTo: to.toISOString(), dateObserved: `${from.toISOString()}/${to.toISOString()}`,
      intensity: 50, occupancy: 0.1, averageVehicleSpeed: 30,
    })
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM traffic_reading WHERE device_id = 'loop-i2' AND flow_veh_h = 600`)) === 1, 'the FIWARE reading')
  })

  it('quarantines the one reading the database refuses and stores the rest of its batch', async () => {
    await t.db.exec(`ALTER TABLE traffic_reading ADD CONSTRAINT test_flow_cap CHECK (flow_veh_h < 5000)`)
    try {
      const base = NOW() - 120_000
      const sends = []
      for (let i = 0; i < 20; i++) sends.push(send('gemello/v1/traffic-loop/loop-i2/traffic', { seq: 100 + i, observedAt: base + i * 1000, values: traffic(i === 7 ? 6000 : 200) }))
      await Promise.all(sends)
      await waitFor(async () => (await count(`SELECT count(*) AS n FROM ingest_quarantine WHERE reason = 'db_rejected'`)) === 1, 'the db_rejected row')
      await waitFor(async () => (await count(`SELECT count(*) AS n FROM traffic_reading WHERE device_id = 'loop-i2' AND seq >= 100`)) === 19, 'the 19 good readings')
      // Exactly the bad one is refused: never a good neighbour from the same batch.
      expect(await count(`SELECT count(*) AS n FROM ingest_quarantine WHERE reason = 'db_rejected'`)).toBe(1)
      const refused = await t.db.query<{ raw: Uint8Array }>(`SELECT raw FROM ingest_quarantine WHERE reason = 'db_rejected'`)
      expect(JSON.parse(Buffer.from(refused.rows[0]!.raw).toString()).seq).toBe(107)
      const q = await t.db.query<{ detail: string }>(`SELECT detail FROM ingest_quarantine WHERE reason = 'db_rejected'`)
      expect(q.rows[0]?.detail).toMatch(/test_flow_cap/)
    } finally {
      await t.db.exec('ALTER TABLE traffic_reading DROP CONSTRAINT test_flow_cap')
    }
  })
})

describe('IngestService: acknowledgement only after commit (broker-side trace)', () => {
  it('never lets the broker see a PUBACK for a reading before its transaction committed', async () => {
    // A broker we can watch: aedes reports each PUBACK it receives from the ingest. The database is
    // the real one of this run; its commits are slowed down so that an early PUBACK could not hide.
    const aedes = await Aedes.createBroker()
    const server = net.createServer(aedes.handle)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const url = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`
    const commitAt = new Map<number, number>()
    const ackAt = new Map<number, number>()
    const slow: Db = {
      mode: t.db.mode,
      capabilities: t.db.capabilities,
      copyRows: (table, cols, text) => t.db.copyRows(table, cols, text),
      describe: () => t.db.describe(),
      close: async () => undefined,
      query: (sql, params) => t.db.query(sql, params),
      exec: (sql) => t.db.exec(sql),
      transaction: async (fn) => {
        let seqs: number[] = []
        const result = await t.db.transaction(async (tx) => {
          const r = await fn({ query: (sql, params) => { if (/INSERT INTO traffic_reading/.test(sql)) seqs = (JSON.parse(String(params?.[0])) as Array<{ q: number }>).map((r) => r.q); return tx.query(sql, params) } })
          await new Promise((res) => setTimeout(res, 150))
          return r
        })
        const now = Date.now()
        for (const s of seqs) commitAt.set(s, now)
        return result
      },
    }
    aedes.on('ack', (packet, client) => {
      if (client?.id === 'ingest-trace' && packet && 'payload' in packet) {
        const seq = (JSON.parse(String(packet.payload)) as { seq: number }).seq
        ackAt.set(seq, Date.now())
      }
    })
    const traced = new IngestService({ db: slow, mqttUrl: url, protocolVersion: 4, clientId: 'ingest-trace', maxBatch: 50, lingerMs: 5, maxPending: 500 })
    await traced.start()
    const device = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'trace-device' })
    const base = NOW() - 3_600_000
    await Promise.all(Array.from({ length: 200 }, (_, i) => device.publishAsync('gemello/v1/traffic-loop/loop-i1/traffic', JSON.stringify({ seq: 5000 + i, observedAt: base + i * 1000, values: traffic(80) }), { qos: 1 })))
    await waitFor(() => ackAt.size === 200, 'PUBACKs for all 200 readings')
    for (const [seq, acked] of ackAt) {
      const c = commitAt.get(seq)
      expect(c, `reading seq ${seq} was acknowledged but never committed`).toBeDefined()
      expect(acked, `reading seq ${seq} acknowledged ${c! - acked} ms before its commit`).toBeGreaterThanOrEqual(c!)
    }
    await device.endAsync()
    await traced.stop()
    await new Promise<void>((r) => aedes.close(() => r()))
    server.close()
  })
})
