/**
 * The entry point for a census upload (issue 8: GIS staff import census features). The format is
 * sniffed from the bytes (sniff.ts), never taken from the file name; each reader returns lon/lat
 * EPSG:4326 features plus per-feature problems, so the import can be all-or-nothing with a full
 * report. Whole-file failures are ApiErrors with a message a GIS person can act on:
 *   UPLOAD_REFUSED 422   unsupported or unsafe content (XML/XXE, zip bomb, zip slip, nested archive,
 *                        missing .shx/.dbf/.prj, unknown CRS, GeoPackage triggers/views, several layers)
 *   PAYLOAD_TOO_LARGE 413  file, feature count or vertices per feature over the limit
 *   VALIDATION_FAILED 400  malformed JSON, nesting deeper than the limit, a number like 1e400
 *   GDAL_UNAVAILABLE 503   GeoPackage or Shapefile without ogr2ogr installed
 * Limits and their defaults: upload-limits.ts.
 */
import { ApiError } from '../../http/api-error'
import { readCsv } from './csv-reader'
import { readGeoPackage, readShapefileZip } from './gdal-reader'
import { readGeoJson } from './geojson-reader'
import { parseJsonGuarded } from './json-guard'
import { sniffUpload } from './sniff'
import { formatBytes, resolveLimits, type UploadLimits } from './upload-limits'
import type { UploadedFeatures } from './uploaded-features'

export interface UploadInput {
  /** The name the user gave the file: a label for the layer, never trusted for the format or used in a path. */
  fileName: string
  bytes: Buffer
  /** The layer to read from a GeoPackage holding several. */
  layerName?: string
}

export interface ReadUploadOptions extends Partial<UploadLimits> {
  /** Folder holding ogr2ogr and ogrinfo; default: found on PATH. */
  gdalBinDir?: string
  /** Where GeoPackage and Shapefile conversions make their temporary directory; default os.tmpdir(). */
  tempRoot?: string
}

export async function readUpload(input: UploadInput, options: ReadUploadOptions = {}): Promise<UploadedFeatures> {
  const { gdalBinDir, tempRoot, ...overrides } = options
  const limits = resolveLimits(overrides)
  if (input.bytes.length > limits.maxUploadBytes) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `The file is ${formatBytes(input.bytes.length)}; at most ${formatBytes(limits.maxUploadBytes)} are accepted. Split it, or zip a Shapefile.`)
  }
  const gdal = { ...(input.layerName !== undefined ? { layerName: input.layerName } : {}), ...(gdalBinDir ? { gdalBinDir } : {}), ...(tempRoot ? { tempRoot } : {}) }
  const sniffed = sniffUpload(input.bytes)
  switch (sniffed.kind) {
    case 'zip':
      return readShapefileZip(input.bytes, limits, gdal)
    case 'gpkg':
      return readGeoPackage(input.bytes, limits, gdal)
    case 'json': {
      const read = readGeoJson(parseJsonGuarded(sniffed.text, limits.maxJsonDepth), limits)
      return { format: 'geojson', layerName: read.name ?? fileStem(input.fileName), sourceCrs: 'EPSG:4326', features: read.features, problems: read.problems }
    }
    case 'csv': {
      const read = readCsv(sniffed.text, limits)
      return { format: 'csv', layerName: fileStem(input.fileName), sourceCrs: 'EPSG:4326', features: read.features, problems: read.problems }
    }
  }
}

/** 'lampioni' from 'C:\\dati\\lampioni.csv' or 'lampioni.geojson'; 'upload' when nothing is left. */
export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  const stem = (dot > 0 ? base.slice(0, dot) : base).trim()
  return stem === '' ? 'upload' : stem
}
