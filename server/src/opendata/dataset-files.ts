/**
 * A dataset's files from its rows (docs/opendata.md "Files"): CSV always (RFC 4180, UTF-8, the declared
 * columns in order; with a `wkt` geometry column first when the dataset has geometry), GeoJSON and
 * GeoPackage when it has geometry — the GeoPackage through ogr2ogr like the census export (skipped,
 * and said so, where GDAL is not installed). The content hash is the CSV's: a GeoPackage's bytes
 * change with its creation time even when nothing else did.
 */
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { csvCell, featuresToCsv } from '../census/files/csv-writer'
import { exportFeatures } from '../census/files/export-features'
import type { ExportFeatureCollection } from '../census/files/uploaded-features'
import { ApiError } from '../http/api-error'
import type { DatasetDefinition, DatasetRow } from './datasets/dataset-definition'

export type FileFormat = 'csv' | 'geojson' | 'gpkg'

export interface DatasetFile {
  format: FileFormat
  mediaType: string
  bytes: Buffer
  /** The bytes gzip-compressed, as stored and sent to clients that accept gzip. */
  gzip: Buffer
  byteSize: number
  sha256: string
}

export interface BuiltFiles {
  files: DatasetFile[]
  contentSha256: string
  /** Why the GeoPackage was not made (GDAL missing), null when it was or the dataset has no geometry. */
  gpkgSkipped: string | null
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

function tableCsv(def: DatasetDefinition, rows: readonly DatasetRow[]): string {
  const names = def.columns.map((c) => c.name)
  const lines = [names.map(csvCell).join(',')]
  for (const r of rows) lines.push(names.map((n) => csvCell(r.properties[n])).join(','))
  return `${lines.join('\r\n')}\r\n`
}

function featureCollection(def: DatasetDefinition, rows: readonly DatasetRow[]): ExportFeatureCollection {
  const names = def.columns.map((c) => c.name)
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({ type: 'Feature', geometry: r.geometry, properties: Object.fromEntries(names.map((n) => [n, r.properties[n] ?? null])) })),
  }
}

export async function buildDatasetFiles(def: DatasetDefinition, rows: readonly DatasetRow[], opts: { gdalBinDir?: string; tempRoot?: string } = {}): Promise<BuiltFiles> {
  const files: DatasetFile[] = []
  const add = (format: FileFormat, mediaType: string, bytes: Buffer) => files.push({ format, mediaType, bytes, gzip: gzipSync(bytes, { level: 6 }), byteSize: bytes.length, sha256: sha256(bytes) })
  if (def.geometry === null) {
    add('csv', 'text/csv; charset=utf-8', Buffer.from(tableCsv(def, rows), 'utf8'))
    return { files, contentSha256: files[0]!.sha256, gpkgSkipped: null }
  }
  const fc = featureCollection(def, rows)
  add('csv', 'text/csv; charset=utf-8', Buffer.from(featuresToCsv(fc), 'utf8'))
  add('geojson', 'application/geo+json', Buffer.from(JSON.stringify(fc), 'utf8'))
  let gpkgSkipped: string | null = null
  try {
    const gpkg = await exportFeatures(fc, 'gpkg', { layerName: def.id, ...opts })
    add('gpkg', gpkg.contentType, gpkg.bytes)
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'GDAL_UNAVAILABLE') throw e
    gpkgSkipped = e.message
  }
  return { files, contentSha256: files[0]!.sha256, gpkgSkipped }
}
