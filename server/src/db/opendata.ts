/**
 * What the open-data refresh stores (migration 0019, docs/opendata.md): a dataset's last publication
 * with its files, replaced in one transaction; the refusals; the refresh's due time, claimed by one
 * process per period; the catalogue's SHACL validations.
 */
import { gunzipSync } from 'node:zlib'
import type { CatalogueValidation } from '../../../contracts/opendata-api'
import type { Db, Queryable } from './adapter'
import { BYTEA_IN, BYTEA_OUT, byteaIn, byteaOut } from './bytea'

export interface PublishedDatasetRow {
  id: string
  issuedMs: number
  modifiedMs: number
  refreshedMs: number
  contentSha256: string
  rowCount: number
  temporal: { startMs: number; endMs: number } | null
  bbox: [number, number, number, number] | null
  refusal: string | null
  refusedMs: number | null
  files: Array<{ format: 'csv' | 'geojson' | 'gpkg'; mediaType: string; byteSize: number; sha256: string }>
}

export interface Publication {
  id: string
  nowMs: number
  contentSha256: string
  rowCount: number
  temporal: { startMs: number; endMs: number } | null
  bbox: [number, number, number, number] | null
  /** Each file gzip-compressed (compressed before the transaction: it only writes), with its own size and hash. */
  files: Array<{ format: 'csv' | 'geojson' | 'gpkg'; mediaType: string; gzip: Buffer; byteSize: number; sha256: string }>
}

const ts = (p: number) => `to_timestamp($${p}::float8 / 1000)`
const msOf = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`

/**
 * Replaces a dataset's publication and files in one transaction. dct:modified moves only when the
 * content changed; the first publication sets dct:issued. A refusal recorded before is cleared.
 */
export async function publishDataset(db: Db, p: Publication): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const before = await tx.query<{ content_sha256: string }>(`SELECT content_sha256 FROM opendata_dataset WHERE id = $1 FOR UPDATE`, [p.id])
    const changed = before.rows[0]?.content_sha256 !== p.contentSha256
    await tx.query(
      `INSERT INTO opendata_dataset (id, issued_at, modified_at, refreshed_at, content_sha256, row_count, temporal_start, temporal_end, bbox)
       VALUES ($1, ${ts(2)}, ${ts(2)}, ${ts(2)}, $3, $4, ${ts(5)}, ${ts(6)}, $7::float8[])
       ON CONFLICT (id) DO UPDATE SET
         modified_at = CASE WHEN opendata_dataset.content_sha256 = EXCLUDED.content_sha256 AND opendata_dataset.row_count > 0 THEN opendata_dataset.modified_at ELSE EXCLUDED.modified_at END,
         refreshed_at = EXCLUDED.refreshed_at, content_sha256 = EXCLUDED.content_sha256, row_count = EXCLUDED.row_count,
         temporal_start = EXCLUDED.temporal_start, temporal_end = EXCLUDED.temporal_end, bbox = EXCLUDED.bbox, refusal = NULL, refused_at = NULL`,
      [p.id, p.nowMs, p.contentSha256, p.rowCount, p.temporal?.startMs ?? null, p.temporal?.endMs ?? null, p.bbox],
    )
    await tx.query(`DELETE FROM opendata_file WHERE dataset_id = $1`, [p.id])
    for (const f of p.files) {
      await tx.query(`INSERT INTO opendata_file (dataset_id, format, media_type, gzip, byte_size, sha256) VALUES ($1, $2, $3, ${BYTEA_IN('$4')}, $5, $6)`, [p.id, f.format, f.mediaType, byteaIn(f.gzip), f.byteSize, f.sha256])
    }
    return { changed }
  })
}

/**
 * Records why a dataset's refresh was not published. The files of its last good publication stay
 * (they were checked when written); a dataset never published gets a row without files.
 */
export async function recordRefusal(db: Db, id: string, reason: string, nowMs: number): Promise<void> {
  await db.query(
    `INSERT INTO opendata_dataset (id, issued_at, modified_at, refreshed_at, content_sha256, row_count, refusal, refused_at)
     VALUES ($1, ${ts(2)}, ${ts(2)}, ${ts(2)}, repeat('0', 64), 0, $3, ${ts(2)})
     ON CONFLICT (id) DO UPDATE SET refusal = EXCLUDED.refusal, refused_at = EXCLUDED.refused_at`,
    [id, nowMs, reason.slice(0, 2000)],
  )
}

export async function publishedDatasets(q: Queryable): Promise<Map<string, PublishedDatasetRow>> {
  const r = await q.query<{
    id: string; issued_ms: number; modified_ms: number; refreshed_ms: number; content_sha256: string; row_count: number
    t0: number | null; t1: number | null; bbox: number[] | null; refusal: string | null; refused_ms: number | null
    files: Array<{ format: 'csv' | 'geojson' | 'gpkg'; mediaType: string; byteSize: number; sha256: string }> | string
  }>(
    `SELECT d.id, ${msOf('d.issued_at')} AS issued_ms, ${msOf('d.modified_at')} AS modified_ms, ${msOf('d.refreshed_at')} AS refreshed_ms,
       d.content_sha256, d.row_count, ${msOf('d.temporal_start')} AS t0, ${msOf('d.temporal_end')} AS t1, d.bbox, d.refusal, ${msOf('d.refused_at')} AS refused_ms,
       coalesce((SELECT json_agg(json_build_object('format', f.format, 'mediaType', f.media_type, 'byteSize', f.byte_size, 'sha256', f.sha256) ORDER BY f.format)
                 FROM opendata_file f WHERE f.dataset_id = d.id), '[]'::json) AS files
     FROM opendata_dataset d ORDER BY d.id`,
  )
  const out = new Map<string, PublishedDatasetRow>()
  for (const x of r.rows) {
    out.set(x.id, {
      id: x.id,
      issuedMs: Number(x.issued_ms),
      modifiedMs: Number(x.modified_ms),
      refreshedMs: Number(x.refreshed_ms),
      contentSha256: x.content_sha256,
      rowCount: Number(x.row_count),
      temporal: x.t0 === null || x.t1 === null ? null : { startMs: Number(x.t0), endMs: Number(x.t1) },
      bbox: x.bbox === null ? null : (x.bbox.map(Number) as [number, number, number, number]),
      refusal: x.refusal,
      refusedMs: x.refused_ms === null ? null : Number(x.refused_ms),
      files: typeof x.files === 'string' ? JSON.parse(x.files) : x.files,
    })
  }
  return out
}

/** A published file, gzip-compressed as stored (`bytes()` decompresses it). */
export async function datasetFile(q: Queryable, id: string, format: string): Promise<{ gzip: Buffer; bytes(): Buffer; byteSize: number; mediaType: string; sha256: string; modifiedMs: number } | null> {
  const r = await q.query<{ gzip: string; byte_size: string | number; media_type: string; sha256: string; modified_ms: number }>(
    `SELECT ${BYTEA_OUT('f.gzip')} AS gzip, f.byte_size, f.media_type, f.sha256, ${msOf('d.modified_at')} AS modified_ms FROM opendata_file f JOIN opendata_dataset d ON d.id = f.dataset_id WHERE f.dataset_id = $1 AND f.format = $2`,
    [id, format],
  )
  const row = r.rows[0]
  if (!row) return null
  const gzip = byteaOut(row.gzip)
  return { gzip, bytes: () => gunzipSync(gzip), byteSize: Number(row.byte_size), mediaType: row.media_type, sha256: row.sha256, modifiedMs: Number(row.modified_ms) }
}

/** Claims the refresh when due (inside the job's locked transaction): true → this process refreshes now, the next is due in `intervalMs`. */
export async function claimRefresh(tx: Queryable, holder: string, nowMs: number, intervalMs: number): Promise<boolean> {
  const r = await tx.query(
    `UPDATE opendata_refresh SET due_at = to_timestamp(($2::float8 + $3::float8) / 1000), claimed_by = $1, claimed_at = to_timestamp($2::float8 / 1000)
     WHERE id = 'default' AND due_at <= to_timestamp($2::float8 / 1000)`,
    [holder, nowMs, intervalMs],
  )
  return r.rowCount > 0
}

/** Makes the refresh due at once (an administrator's "refresh now", a new server's first start). */
export async function requestRefresh(q: Queryable): Promise<void> {
  await q.query(`UPDATE opendata_refresh SET due_at = TIMESTAMPTZ '2000-01-01 00:00:00+00' WHERE id = 'default'`)
}

export async function saveValidation(db: Db, v: CatalogueValidation): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO opendata_validation (at, validated, conforms, violations, warnings, report) VALUES (${ts(1)}, $2, $3, $4, $5, $6)`,
      [v.atMs, v.validated, v.conforms, v.violations.length, v.warnings.length, JSON.stringify(v)],
    )
    await tx.query(`DELETE FROM opendata_validation WHERE at < ${ts(1)} - interval '30 days'`, [v.atMs])
  })
}

export async function latestValidation(q: Queryable): Promise<CatalogueValidation | null> {
  const r = await q.query<{ report: CatalogueValidation | string }>(`SELECT report FROM opendata_validation ORDER BY at DESC, id DESC LIMIT 1`)
  const row = r.rows[0]
  if (!row) return null
  return typeof row.report === 'string' ? (JSON.parse(row.report) as CatalogueValidation) : row.report
}
