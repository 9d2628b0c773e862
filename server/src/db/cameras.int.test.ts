/**
 * Camera records in the database (migration 0009), on PGlite or PostgreSQL: no column can hold an
 * image, the listing never reads the stream URL, writes are compare-and-set on the version, and the
 * database itself refuses an active record that is not compliant.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { GateValuesSchema } from '../../../contracts/schemas/reading'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { insertCameraRecord, isCamera, listCameras, lockCameraRecord, setCameraStatus, updateCameraRecord, type CameraRecordFields } from './cameras'
import { writeBatch, type ValidReading } from './readings'

const NOW = Math.floor(Date.now() / 60_000) * 60_000

const COMPLETE: CameraRecordFields = {
  purpose: 'ZTL access enforcement',
  legalBasis: 'GDPR art. 6(1)(e); D.P.R. 250/1999',
  signage: true,
  signageNote: 'sign 30 m before the gate',
  retentionDays: 7,
  retentionJustification: null,
  dpiaRef: 'DPIA-2025-014',
  controller: 'Comune di Bologna',
  streamUrl: 'rtsp://gate-a.cams.example/live',
}
const DRAFT: CameraRecordFields = { ...COMPLETE, purpose: null, signage: false, dpiaRef: null, streamUrl: null }

let t: TestDb

beforeAll(async () => {
  t = await createTestDb()
}, 120_000)

afterAll(async () => {
  await t?.drop()
})

beforeEach(async () => {
  await t.db.exec(`DELETE FROM camera_record; DELETE FROM latest_state; DELETE FROM device; DELETE FROM area;
    INSERT INTO area (id, kind, code, name, dataset, geom) VALUES
      ('quartiere-1', 'quartiere', '1', 'Santo Stefano', 'test', ST_MakeEnvelope(11.34, 44.48, 11.38, 44.50, 4326)),
      ('zona-1', 'zona', '1', 'Galvani', 'test', ST_MakeEnvelope(11.30, 44.45, 11.40, 44.55, 4326));
    INSERT INTO device (id, kind, name, geom, expected_interval_s, source) VALUES
      ('ztl-gate-a', 'ztl-gate', 'Gate A', ST_SetSRID(ST_MakePoint(11.35, 44.49), 4326), 300, 'open-data'),
      ('ztl-gate-b', 'ztl-gate', 'Gate B', ST_SetSRID(ST_MakePoint(11.20, 44.49), 4326), 300, 'registered'),
      ('loop-1', 'traffic-loop', 'Loop 1', ST_SetSRID(ST_MakePoint(11.35, 44.49), 4326), 60, 'open-data')`)
})

const gateReading = (deviceId: string, observedAtMs: number, values: Record<string, unknown>): ValidReading => ({
  deviceId,
  kind: 'ztl-gate',
  stream: 'gate',
  shape: 'gate',
  seq: observedAtMs / 1000,
  observedAtMs,
  receivedAtMs: observedAtMs + 500,
  quality: 'good',
  values,
})

describe('no personal data can be stored', () => {
  it('has no column able to hold an image (bytea, large object) in the camera and gate tables, nor one named for plates, faces or images', async () => {
    const cols = await t.db.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND (table_name = 'camera_record' OR table_name LIKE 'gate_reading%')`,
    )
    expect(cols.rows.map((c) => c.table_name)).toContain('camera_record')
    expect(cols.rows.map((c) => c.table_name)).toContain('gate_reading')
    expect(cols.rows.filter((c) => ['bytea', 'oid'].includes(c.data_type))).toEqual([])
    expect(cols.rows.filter((c) => /plate|targa|image|photo|foto|face|snapshot|video/i.test(c.column_name))).toEqual([])
  })

  it('bounds every text of a camera record, so none can carry an image in base64 either', async () => {
    const big = 'A'.repeat(100_000)
    await expect(insertCameraRecord(t.db, 'ztl-gate-a', { ...DRAFT, purpose: big }, 'test', NOW)).rejects.toThrow()
    await expect(insertCameraRecord(t.db, 'ztl-gate-a', { ...DRAFT, streamUrl: `https://x.example/${big}` }, 'test', NOW)).rejects.toThrow()
  })

  it('refuses a gate reading that carries a plate, an image or any field beyond status and counts', () => {
    const ok = { status: 'operational', intervalS: 300, vehicles: 41, unauthorized: 2 }
    expect(GateValuesSchema.safeParse(ok).success).toBe(true)
    expect(GateValuesSchema.safeParse({ ...ok, plate: 'AB123CD' }).success).toBe(false)
    expect(GateValuesSchema.safeParse({ ...ok, image: 'data:image/jpeg;base64,/9j/4AAQ' }).success).toBe(false)
    expect(GateValuesSchema.safeParse({ ...ok, face: { x: 1 } }).success).toBe(false)
  })
})

describe('listCameras', () => {
  it('lists the devices of a camera kind with their district and latest gate reading; the record is null until configured', async () => {
    await t.db.transaction((tx) =>
      writeBatch(tx, {
        readings: [
          gateReading('ztl-gate-a', NOW - 600_000, { status: 'operational', intervalS: 300, vehicles: 30 }),
          gateReading('ztl-gate-a', NOW - 300_000, { status: 'degraded', intervalS: 300, vehicles: 41, unauthorized: 3 }),
        ],
        quarantine: [],
        registrations: [],
      }),
    )
    const cams = await listCameras(t.db)
    expect(cams.map((c) => c.deviceId)).toEqual(['ztl-gate-a', 'ztl-gate-b'])
    expect(cams[0]).toMatchObject({
      name: 'Gate A',
      position: [11.35, 44.49],
      district: 'Santo Stefano',
      record: null,
      gate: { observedAtMs: NOW - 300_000, quality: 'good', values: { status: 'degraded', vehicles: 41, unauthorized: 3, intervalS: 300 } },
    })
    expect(cams[1]).toMatchObject({ district: null, gate: null, record: null })
    expect(await listCameras(t.db, 'loop-1')).toEqual([])
    expect(await isCamera(t.db, 'loop-1')).toBe(false)
    expect(await isCamera(t.db, 'ztl-gate-b')).toBe(true)
  })

  it('never reads the stream URL: only whether there is one', async () => {
    await insertCameraRecord(t.db, 'ztl-gate-a', COMPLETE, 'admin', NOW)
    const [cam] = await listCameras(t.db, 'ztl-gate-a')
    expect(cam!.record).toMatchObject({ hasStream: true, status: 'draft', version: 1, updatedBy: 'admin', updatedAtMs: NOW })
    expect(JSON.stringify(cam)).not.toContain('rtsp://')
    expect(Object.keys(cam!.record!)).not.toContain('streamUrl')
  })
})

describe('writes', () => {
  it('creates a record once: a second creation of the same camera changes nothing', async () => {
    expect(await insertCameraRecord(t.db, 'ztl-gate-a', DRAFT, 'admin', NOW)).toBe(true)
    expect(await insertCameraRecord(t.db, 'ztl-gate-a', COMPLETE, 'other', NOW)).toBe(false)
    expect(await lockCameraRecord(t.db, 'ztl-gate-a')).toMatchObject({ purpose: null, updatedBy: 'admin', version: 1 })
  })

  it('updates and changes status only from the version seen (compare-and-set), bumping it', async () => {
    await insertCameraRecord(t.db, 'ztl-gate-a', DRAFT, 'admin', NOW)
    expect(await updateCameraRecord(t.db, 'ztl-gate-a', 1, COMPLETE, 'admin', NOW + 1000)).toBe(true)
    expect(await updateCameraRecord(t.db, 'ztl-gate-a', 1, DRAFT, 'late', NOW + 2000)).toBe(false)
    expect(await setCameraStatus(t.db, 'ztl-gate-a', 1, 'active', 'late', NOW + 2000)).toBe(false)
    expect(await setCameraStatus(t.db, 'ztl-gate-a', 2, 'active', 'admin', NOW + 3000)).toBe(true)
    expect(await lockCameraRecord(t.db, 'ztl-gate-a')).toEqual({ deviceId: 'ztl-gate-a', ...COMPLETE, status: 'active', version: 3, updatedBy: 'admin', updatedAtMs: NOW + 3000 })
  })

  it('refuses in the database an active record without what activation needs', async () => {
    await insertCameraRecord(t.db, 'ztl-gate-a', DRAFT, 'admin', NOW)
    await expect(setCameraStatus(t.db, 'ztl-gate-a', 1, 'active', 'admin', NOW)).rejects.toThrow(/camera_record_active_is_compliant/)
    await updateCameraRecord(t.db, 'ztl-gate-a', 1, { ...COMPLETE, retentionDays: 30 }, 'admin', NOW)
    await expect(setCameraStatus(t.db, 'ztl-gate-a', 2, 'active', 'admin', NOW)).rejects.toThrow(/camera_record_active_is_compliant/)
    await updateCameraRecord(t.db, 'ztl-gate-a', 2, { ...COMPLETE, retentionDays: 30, retentionJustification: 'violation images kept for the fine procedure' }, 'admin', NOW)
    expect(await setCameraStatus(t.db, 'ztl-gate-a', 3, 'active', 'admin', NOW)).toBe(true)
  })

  it('refuses a retention beyond a year and a stream URL that is not https or rtsp', async () => {
    await expect(insertCameraRecord(t.db, 'ztl-gate-a', { ...DRAFT, retentionDays: 366 }, 'admin', NOW)).rejects.toThrow()
    await expect(insertCameraRecord(t.db, 'ztl-gate-a', { ...DRAFT, streamUrl: 'http://cam.example/live' }, 'admin', NOW)).rejects.toThrow()
  })

  it('keeps a record only as long as its device: an import that removes the gate removes the record', async () => {
    await insertCameraRecord(t.db, 'ztl-gate-b', COMPLETE, 'admin', NOW)
    await t.db.query(`DELETE FROM device WHERE id = 'ztl-gate-b'`)
    expect(await lockCameraRecord(t.db, 'ztl-gate-b')).toBeNull()
  })
})
