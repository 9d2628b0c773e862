import type { Device, DeviceKind } from '../../../contracts/schemas/device'
import type { LiveDevice } from '../../../contracts/schemas/live-state'
import type { Bbox } from '../../../contracts/events'
import type { Queryable } from './adapter'

interface DeviceRow {
  id: string
  kind: DeviceKind
  name: string
  lon: number
  lat: number
  expected_interval_s: number
  source: Device['source']
  dataset: string | null
  props: Record<string, unknown>
}

const DEVICE_COLS = `d.id, d.kind, d.name, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat, d.expected_interval_s, d.source, d.dataset, d.props`

function toDevice(r: DeviceRow): Device {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    position: [r.lon, r.lat],
    expectedIntervalS: r.expected_interval_s,
    source: r.source,
    dataset: r.dataset,
    props: r.props ?? {},
  }
}

export function toLiveDevice(d: Device): LiveDevice {
  return { id: d.id, kind: d.kind, name: d.name, position: d.position, expectedIntervalS: d.expectedIntervalS, source: d.source }
}

export interface LatestRow {
  deviceId: string
  stream: string
  seq: number | null
  observedAtMs: number
  receivedAtMs: number
  quality: 'good' | 'uncertain' | 'bad'
  values: Record<string, unknown>
}

const LATEST_COLS = `l.device_id, l.stream, l.seq, round(extract(epoch FROM l.observed_at) * 1000)::float8 AS observed_ms,
  round(extract(epoch FROM l.received_at) * 1000)::float8 AS received_ms, l.quality, l.vals`

interface LatestDbRow {
  device_id: string
  stream: string
  seq: number | null
  observed_ms: number
  received_ms: number
  quality: 'good' | 'uncertain' | 'bad'
  vals: Record<string, unknown>
}
const toLatest = (r: LatestDbRow): LatestRow => ({
  deviceId: r.device_id,
  stream: r.stream,
  seq: r.seq === null ? null : Number(r.seq),
  observedAtMs: Number(r.observed_ms),
  receivedAtMs: Number(r.received_ms),
  quality: r.quality,
  values: r.vals,
})

export async function loadDevices(db: Queryable, ids?: string[]): Promise<Device[]> {
  const r = ids
    ? await db.query<DeviceRow>(`SELECT ${DEVICE_COLS} FROM device d WHERE d.id = ANY($1::text[]) ORDER BY d.id`, [ids])
    : await db.query<DeviceRow>(`SELECT ${DEVICE_COLS} FROM device d ORDER BY d.id`)
  return r.rows.map(toDevice)
}

export async function loadLatest(db: Queryable, deviceIds?: string[]): Promise<LatestRow[]> {
  const r = deviceIds
    ? await db.query<LatestDbRow>(`SELECT ${LATEST_COLS} FROM latest_state l WHERE l.device_id = ANY($1::text[])`, [deviceIds])
    : await db.query<LatestDbRow>(`SELECT ${LATEST_COLS} FROM latest_state l`)
  return r.rows.map(toLatest)
}

export interface DeviceFilter {
  kind?: DeviceKind
  bbox?: Bbox
  limit: number
  offset: number
}

export async function listDevices(db: Queryable, f: DeviceFilter): Promise<{ total: number; devices: Device[] }> {
  const where: string[] = []
  const params: unknown[] = []
  if (f.kind) {
    params.push(f.kind)
    where.push(`d.kind = $${params.length}`)
  }
  if (f.bbox) {
    params.push(...f.bbox)
    const n = params.length
    where.push(`d.geom && ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 4326)`)
  }
  const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM device d ${w}`, params)
  const rows = await db.query<DeviceRow>(
    `SELECT ${DEVICE_COLS} FROM device d ${w} ORDER BY d.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  )
  return { total: Number(total.rows[0]?.n ?? 0), devices: rows.rows.map(toDevice) }
}
