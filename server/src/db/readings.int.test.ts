import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { registration, trafficReading } from '../../../tests/helpers/factories'
import { writeBatch, type BatchInput } from './readings'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
})
afterAll(async () => {
  await t?.drop()
})

const batch = (b: Partial<BatchInput>): BatchInput => ({ readings: [], quarantine: [], registrations: [], ...b })
const write = (b: Partial<BatchInput>) => t.db.transaction((tx) => writeBatch(tx, batch(b)))
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query<{ n: number }>(sql, params)).rows[0]?.n)
const latestOf = async (deviceId: string) =>
  (await t.db.query<{ seq: number; ms: number; vals: Record<string, unknown> }>(
    `SELECT seq, round(extract(epoch FROM observed_at) * 1000)::float8 AS ms, vals FROM latest_state WHERE device_id = $1`,
    [deviceId],
  )).rows[0]

describe('writeBatch (the ingest write path)', () => {
  it('stores new readings in history and moves the latest state forward', async () => {
    const id = 'loop-w1'
    await write({ registrations: [registration({ deviceId: id })] })
    const a = trafficReading({ deviceId: id, seq: 1, observedAtMs: 1_700_000_000_000 })
    const b = trafficReading({ deviceId: id, seq: 2, observedAtMs: 1_700_000_060_000, values: { flowVehH: 720 } })
    const out = await write({ readings: [a, b] })
    expect(out.inserted).toBe(2)
    expect(out.latest.map((r) => r.seq)).toEqual([2])
    expect(await count('SELECT count(*) AS n FROM traffic_reading WHERE device_id = $1', [id])).toBe(2)
    const latest = await latestOf(id)
    expect(latest?.seq).toBe(2)
    expect(latest?.ms).toBe(1_700_000_060_000)
    expect(latest?.vals.flowVehH).toBe(720)
  })

  it('treats an identical re-send as a duplicate: nothing stored twice, latest unchanged', async () => {
    const id = 'loop-w2'
    const a = trafficReading({ deviceId: id, seq: 10, observedAtMs: 1_700_000_000_000 })
    await write({ readings: [a] })
    const again = await write({ readings: [{ ...a, receivedAtMs: a.receivedAtMs + 5000 }, { ...a }] })
    expect(again.inserted).toBe(0)
    expect(again.duplicates).toBe(2)
    expect(again.conflicts).toEqual([])
    expect(again.latest).toEqual([])
    expect(await count('SELECT count(*) AS n FROM traffic_reading WHERE device_id = $1', [id])).toBe(1)
  })

  it('keeps the first write of a conflicting duplicate and records the conflict and a device flag', async () => {
    const id = 'loop-w3'
    const a = trafficReading({ deviceId: id, seq: 20, observedAtMs: 1_700_000_000_000, values: { flowVehH: 300 } })
    await write({ readings: [a] })
    const out = await write({ readings: [{ ...a, values: { ...a.values, flowVehH: 999 } }] })
    expect(out.inserted).toBe(0)
    expect(out.conflicts).toHaveLength(1)
    expect(out.conflicts[0]).toMatchObject({ kind: 'value_mismatch', deviceId: id, existing: { flowVehH: 300 }, incoming: { flowVehH: 999 } })
    const stored = await t.db.query<{ flow_veh_h: number }>('SELECT flow_veh_h FROM traffic_reading WHERE device_id = $1', [id])
    expect(stored.rows.map((r) => r.flow_veh_h)).toEqual([300])
    expect(await count('SELECT count(*) AS n FROM ingest_conflict WHERE device_id = $1', [id])).toBe(1)
    expect(await count(`SELECT count AS n FROM device_flag WHERE device_id = $1 AND flag = 'conflicting_duplicate'`, [id])).toBe(1)
  })

  it('never lets a late, older reading overwrite the latest state', async () => {
    const id = 'loop-w4'
    await write({ readings: [trafficReading({ deviceId: id, seq: 31, observedAtMs: 1_700_000_060_000, values: { flowVehH: 111 } })] })
    const late = await write({ readings: [trafficReading({ deviceId: id, seq: 30, observedAtMs: 1_700_000_000_000, values: { flowVehH: 222 } })] })
    expect(late.inserted).toBe(1)
    expect((await latestOf(id))?.vals.flowVehH).toBe(111)
    expect((await latestOf(id))?.seq).toBe(31)
    expect(await count('SELECT count(*) AS n FROM traffic_reading WHERE device_id = $1', [id])).toBe(2)
  })

  it('stores a clock-skewed reading in history, keeps it out of the latest state, and flags the device once', async () => {
    const id = 'loop-w5'
    const now = Date.now()
    await write({ readings: [trafficReading({ deviceId: id, seq: 40, observedAtMs: now - 60_000 })] })
    const skewed = [
      trafficReading({ deviceId: id, seq: 41, observedAtMs: now + 60_000, receivedAtMs: now, quality: 'clock_skew_future' }),
      trafficReading({ deviceId: id, seq: 42, observedAtMs: now + 120_000, receivedAtMs: now, quality: 'clock_skew_future' }),
    ]
    const out = await write({ readings: skewed })
    expect(out.inserted).toBe(2)
    expect(out.latest).toEqual([])
    expect((await latestOf(id))?.seq).toBe(40)
    const flags = await t.db.query<{ count: number }>(`SELECT count FROM device_flag WHERE device_id = $1 AND flag = 'clock_skew_future'`, [id])
    expect(flags.rows).toEqual([{ count: 2 }])
  })

  it('records a re-used sequence number with a new time as a seq_reused conflict', async () => {
    const id = 'loop-w6'
    await write({ readings: [trafficReading({ deviceId: id, seq: 50, observedAtMs: 1_700_000_000_000 })] })
    const out = await write({ readings: [trafficReading({ deviceId: id, seq: 50, observedAtMs: 1_700_000_600_000 })] })
    expect(out.inserted).toBe(0)
    expect(out.conflicts).toHaveLength(1)
    expect(out.conflicts[0]?.kind).toBe('seq_reused')
    expect(out.conflicts[0]?.existing).toMatchObject({ observedAtMs: 1_700_000_000_000, seq: 50 })
  })

  it('judges duplicates and conflicts inside one batch', async () => {
    const id = 'loop-w7'
    const a = trafficReading({ deviceId: id, seq: 60, observedAtMs: 1_700_000_000_000, values: { flowVehH: 10 } })
    const out = await write({ readings: [a, { ...a }, { ...a, values: { ...a.values, flowVehH: 11 } }] })
    expect(out.inserted).toBe(1)
    expect(out.duplicates).toBe(1)
    expect(out.conflicts.map((c) => c.kind)).toEqual(['value_mismatch'])
  })

  it('keeps quarantined payloads byte for byte with their reason', async () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d])
    const sha = createHash('sha256').update(raw).digest('hex')
    await write({
      quarantine: [{ receivedAtMs: Date.now(), topic: 'gemello/v1/traffic-loop/x/traffic', clientId: 'dev\u0000ice', reason: 'invalid_utf8', detail: 'bad bytes', raw, payloadBytes: raw.length, sha256: sha }],
    })
    const row = (await t.db.query<{ raw: Uint8Array; reason: string; sha256: string; client_id: string }>(
      'SELECT raw, reason, sha256, client_id FROM ingest_quarantine WHERE sha256 = $1',
      [sha],
    )).rows[0]
    expect(row?.reason).toBe('invalid_utf8')
    expect(Buffer.from(row!.raw).equals(raw)).toBe(true)
    expect(row?.client_id).toBe('dev\uFFFDice')
  })

  it('rolls the whole batch back when one statement fails', async () => {
    const id = 'loop-w8'
    await expect(
      t.db.transaction(async (tx) => {
        await writeBatch(tx, batch({ readings: [trafficReading({ deviceId: id, seq: 70 })] }))
        await tx.query('SELECT 1/0')
      }),
    ).rejects.toThrow()
    expect(await count('SELECT count(*) AS n FROM traffic_reading WHERE device_id = $1', [id])).toBe(0)
    expect(await count('SELECT count(*) AS n FROM latest_state WHERE device_id = $1', [id])).toBe(0)
  })
})
