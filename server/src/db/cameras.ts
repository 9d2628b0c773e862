/**
 * Camera records (migration 0009): the cameras (devices of a camera kind) with their compliance
 * record, their district and their latest gate reading; the writes of the record and of its status,
 * each a compare-and-set on the version. The stream URL is read by one function only
 * (`lockCameraRecord`, for the audited live view and the record's own changes): no listing selects it.
 */
import { CAMERA_KINDS, type CameraStatus } from '../../../contracts/camera-api'
import type { DeviceSource } from '../../../contracts/schemas/device'
import type { Queryable } from './adapter'

/** The fields of a record as the API writes them (null: not given). */
export interface CameraRecordFields {
  purpose: string | null
  legalBasis: string | null
  signage: boolean
  signageNote: string | null
  retentionDays: number | null
  retentionJustification: string | null
  dpiaRef: string | null
  controller: string | null
  streamUrl: string | null
}

/** A stored record, stream URL included: for the server's own decisions, never sent as it is. */
export interface StoredCameraRecord extends CameraRecordFields {
  deviceId: string
  status: CameraStatus
  version: number
  updatedBy: string
  updatedAtMs: number
}

/** A camera as the listing reads it: no stream URL, only whether there is one. */
export interface CameraRow {
  deviceId: string
  name: string
  position: [number, number]
  expectedIntervalS: number
  source: DeviceSource
  district: string | null
  record: (Omit<StoredCameraRecord, 'streamUrl' | 'deviceId'> & { hasStream: boolean }) | null
  /** The latest `gate` reading, when there is one. */
  gate: { observedAtMs: number; quality: 'good' | 'uncertain' | 'bad'; values: Record<string, unknown> } | null
}

const RECORD_COLS = `r.purpose, r.legal_basis, r.signage, r.signage_note, r.retention_days, r.retention_justification,
  r.dpia_ref, r.controller, r.status, r.version, r.updated_by, round(extract(epoch FROM r.updated_at) * 1000)::float8 AS updated_ms`

interface RecordDbRow {
  purpose: string | null
  legal_basis: string | null
  signage: boolean
  signage_note: string | null
  retention_days: number | null
  retention_justification: string | null
  dpia_ref: string | null
  controller: string | null
  status: CameraStatus
  version: number
  updated_by: string
  updated_ms: number
}

interface CameraDbRow extends Partial<RecordDbRow> {
  id: string
  name: string
  lon: number
  lat: number
  expected_interval_s: number
  source: DeviceSource
  district: string | null
  has_record: boolean
  has_stream: boolean
  observed_ms: number | null
  quality: 'good' | 'uncertain' | 'bad' | null
  vals: Record<string, unknown> | null
}

const recordOf = (r: RecordDbRow) => ({
  purpose: r.purpose,
  legalBasis: r.legal_basis,
  signage: r.signage,
  signageNote: r.signage_note,
  retentionDays: r.retention_days === null ? null : Number(r.retention_days),
  retentionJustification: r.retention_justification,
  dpiaRef: r.dpia_ref,
  controller: r.controller,
  status: r.status,
  version: Number(r.version),
  updatedBy: r.updated_by,
  updatedAtMs: Number(r.updated_ms),
})

/** The district (quartiere) containing a device's point: one lateral join, `q.district`. */
export const DISTRICT_JOIN = `LEFT JOIN LATERAL (
    SELECT a.name AS district FROM area a WHERE a.kind = 'quartiere' AND ST_Contains(a.geom, d.geom) ORDER BY a.code LIMIT 1
  ) q ON true`

/** Every camera (or one), by id, with its record (no stream URL), district and latest gate reading. */
export async function listCameras(q: Queryable, deviceId?: string): Promise<CameraRow[]> {
  const params: unknown[] = [CAMERA_KINDS]
  if (deviceId !== undefined) params.push(deviceId)
  const r = await q.query<CameraDbRow>(
    `SELECT d.id, d.name, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat, d.expected_interval_s, d.source, q.district,
       r.device_id IS NOT NULL AS has_record, coalesce(r.stream_url IS NOT NULL, false) AS has_stream, ${RECORD_COLS},
       round(extract(epoch FROM l.observed_at) * 1000)::float8 AS observed_ms, l.quality, l.vals
     FROM device d
     LEFT JOIN camera_record r ON r.device_id = d.id
     LEFT JOIN latest_state l ON l.device_id = d.id AND l.stream = 'gate'
     ${DISTRICT_JOIN}
     WHERE d.kind = ANY($1::text[]) ${deviceId !== undefined ? 'AND d.id = $2' : ''}
     ORDER BY d.id`,
    params,
  )
  return r.rows.map((row) => ({
    deviceId: row.id,
    name: row.name,
    position: [Number(row.lon), Number(row.lat)],
    expectedIntervalS: Number(row.expected_interval_s),
    source: row.source,
    district: row.district,
    record: row.has_record ? { ...recordOf(row as RecordDbRow), hasStream: row.has_stream } : null,
    gate: row.observed_ms === null || row.vals === null ? null : { observedAtMs: Number(row.observed_ms), quality: row.quality ?? 'good', values: row.vals },
  }))
}

/** Whether `deviceId` is a camera (a device of a camera kind). */
export async function isCamera(q: Queryable, deviceId: string): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM device WHERE id = $1 AND kind = ANY($2::text[])', [deviceId, CAMERA_KINDS])
  return r.rows.length > 0
}

/** The stored record, stream URL included, locked until the caller's transaction ends; null when there is none. */
export async function lockCameraRecord(tx: Queryable, deviceId: string): Promise<StoredCameraRecord | null> {
  const r = await tx.query<RecordDbRow & { stream_url: string | null }>(`SELECT ${RECORD_COLS}, r.stream_url FROM camera_record r WHERE r.device_id = $1 FOR UPDATE`, [deviceId])
  const row = r.rows[0]
  return row ? { deviceId, ...recordOf(row), streamUrl: row.stream_url } : null
}

const FIELD_PARAMS = (f: CameraRecordFields) => [f.purpose, f.legalBasis, f.signage, f.signageNote, f.retentionDays, f.retentionJustification, f.dpiaRef, f.controller, f.streamUrl]

/** Creates a draft record; false when one exists already (a concurrent creation won). */
export async function insertCameraRecord(tx: Queryable, deviceId: string, f: CameraRecordFields, by: string, nowMs: number): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO camera_record (device_id, purpose, legal_basis, signage, signage_note, retention_days, retention_justification, dpia_ref, controller, stream_url, status, version, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', 1, $11, to_timestamp($12 / 1000.0))
     ON CONFLICT (device_id) DO NOTHING
     RETURNING device_id`,
    [deviceId, ...FIELD_PARAMS(f), by, nowMs],
  )
  return r.rows.length === 1
}

/** Replaces the fields if the stored version is `expectedVersion` (compare-and-set); false otherwise. */
export async function updateCameraRecord(tx: Queryable, deviceId: string, expectedVersion: number, f: CameraRecordFields, by: string, nowMs: number): Promise<boolean> {
  const r = await tx.query(
    `UPDATE camera_record SET purpose = $3, legal_basis = $4, signage = $5, signage_note = $6, retention_days = $7, retention_justification = $8,
       dpia_ref = $9, controller = $10, stream_url = $11, version = version + 1, updated_by = $12, updated_at = to_timestamp($13 / 1000.0)
     WHERE device_id = $1 AND version = $2
     RETURNING device_id`,
    [deviceId, expectedVersion, ...FIELD_PARAMS(f), by, nowMs],
  )
  return r.rows.length === 1
}

/** Sets the status if the stored version is `expectedVersion` (compare-and-set); false otherwise. */
export async function setCameraStatus(tx: Queryable, deviceId: string, expectedVersion: number, status: CameraStatus, by: string, nowMs: number): Promise<boolean> {
  const r = await tx.query(
    `UPDATE camera_record SET status = $3, version = version + 1, updated_by = $4, updated_at = to_timestamp($5 / 1000.0)
     WHERE device_id = $1 AND version = $2
     RETURNING device_id`,
    [deviceId, expectedVersion, status, by, nowMs],
  )
  return r.rows.length === 1
}
