/**
 * Writes one dataset's devices: one batched upsert (INSERT … SELECT FROM unnest … ON CONFLICT),
 * then the dataset's devices that are no longer in the file are deleted. Upserting rather than
 * delete-and-insert keeps `created_at` of devices that stay.
 */
import { DeviceSchema, type DeviceKind, type DeviceSource, type LonLat } from '../../../contracts/schemas/device'
import type { Queryable } from '../../../server/src/db/adapter'
import type { RowProblem } from '../readers/read-result'

/** A device ready to be written, with the source row it came from. */
export interface DeviceRow {
  row: number
  id: string
  kind: DeviceKind
  name: string
  position: LonLat
  expectedIntervalS: number
  source: DeviceSource
  props: Record<string, unknown>
}

export interface WriteOutcome {
  written: number
  problems: RowProblem[]
  /** Rows refused at write time (schema, id taken, invalid geometry). */
  rejected: number
}

export async function replaceDatasetDevices(tx: Queryable, dataset: string, rows: readonly DeviceRow[]): Promise<WriteOutcome> {
  const problems: RowProblem[] = []
  const valid: DeviceRow[] = []
  const seen = new Map<string, number>()
  for (const r of rows) {
    const earlier = seen.get(r.id)
    if (earlier !== undefined) {
      problems.push({ row: r.row, id: r.id, problem: `rejected: duplicate device id (first at row ${earlier})` })
      continue
    }
    seen.set(r.id, r.row)
    const parsed = DeviceSchema.safeParse({ ...r, dataset })
    if (parsed.success) valid.push(r)
    else problems.push({ row: r.row, id: r.id, problem: `rejected: not a valid device (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})` })
  }
  const ids = valid.map((r) => r.id)
  // Devices with these ids that another dataset (or a device's own registration) created: the registry takes them over.
  const others = await tx.query<{ id: string; source: string; dataset: string | null }>(
    'SELECT id, source, dataset FROM device WHERE id = ANY($1::text[]) AND dataset IS DISTINCT FROM $2',
    [ids, dataset],
  )
  for (const o of others.rows) {
    const r = valid.find((v) => v.id === o.id)
    problems.push({ row: r?.row ?? 0, id: o.id, problem: `kept: device ${o.id} existed (source ${o.source}, dataset ${o.dataset ?? 'none'}); this dataset's record replaces it` })
  }
  if (valid.length > 0) {
    await tx.query(
      `INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset, props)
       SELECT u.id, u.k, u.n, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326), u.i, u.s, $9, u.p::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::int4[], $7::text[], $8::text[]) AS u(id, k, n, lon, lat, i, s, p)
       ON CONFLICT (id) DO UPDATE SET
         kind = EXCLUDED.kind, name = EXCLUDED.name, geom = EXCLUDED.geom, expected_interval_s = EXCLUDED.expected_interval_s,
         source = EXCLUDED.source, dataset = EXCLUDED.dataset, props = EXCLUDED.props, updated_at = now()`,
      [
        ids,
        valid.map((r) => r.kind),
        valid.map((r) => r.name),
        valid.map((r) => r.position[0]),
        valid.map((r) => r.position[1]),
        valid.map((r) => r.expectedIntervalS),
        valid.map((r) => r.source),
        valid.map((r) => JSON.stringify(r.props)),
        dataset,
      ],
    )
  }
  await tx.query('DELETE FROM device WHERE dataset = $1 AND NOT (id = ANY($2::text[]))', [dataset, ids])
  return { written: valid.length, problems, rejected: rows.length - valid.length }
}
