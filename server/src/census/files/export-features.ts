/**
 * Exports census features (a GeoJSON FeatureCollection in lon/lat EPSG:4326) for GIS staff:
 *   geojson     as is (RFC 7946: always EPSG:4326)
 *   csv         a WKT column plus the properties (csv-writer.ts), EPSG:4326
 *   flatgeobuf  in JavaScript (flatgeobuf-writer.ts), EPSG:4326, no GDAL needed
 *   gpkg        through ogr2ogr, in `targetCrs` when given (e.g. 7791, the census storage CRS)
 *   shapefile   through ogr2ogr, zipped by GDAL (.shp.zip: .shp .shx .dbf .prj .cpg, UTF-8), in
 *               `targetCrs` when given; one geometry family per file (points, lines or polygons);
 *               field names are cut to 10 characters by the format itself
 * GDAL runs in the same sandbox as uploads (gdal.ts) in a temporary directory removed afterwards;
 * without it, gpkg and shapefile are GDAL_UNAVAILABLE (503). A targetCrs for a lon/lat-only format,
 * an unknown EPSG code or a bad layer name is VALIDATION_FAILED.
 */
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../http/api-error'
import { featuresToCsv } from './csv-writer'
import { featuresToFlatGeobuf } from './flatgeobuf-writer'
import { GdalFailure, runGdal, type GdalRun } from './gdal'
import { EXPORT_TEMP_PREFIX, withTempDir } from './temp-dir'
import type { ExportFeatureCollection, Geometry } from './uploaded-features'

export const EXPORT_FORMATS = ['geojson', 'csv', 'flatgeobuf', 'gpkg', 'shapefile'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportOptions {
  /** The layer (table, file) name: letters, digits, '_' and '-', e.g. the collection id 'street-lights'. */
  layerName: string
  /** EPSG code to write GeoPackage and Shapefile in; lon/lat EPSG:4326 when absent. */
  targetCrs?: number
  /** Folder holding ogr2ogr; default: found on PATH. */
  gdalBinDir?: string
  /** Where the temporary directory for ogr2ogr is made; default os.tmpdir(). */
  tempRoot?: string
}

export interface ExportedFile {
  bytes: Buffer
  contentType: string
  fileExtension: string
}

const MEDIA: Record<ExportFormat, { contentType: string; fileExtension: string }> = {
  geojson: { contentType: 'application/geo+json', fileExtension: 'geojson' },
  csv: { contentType: 'text/csv; charset=utf-8', fileExtension: 'csv' },
  flatgeobuf: { contentType: 'application/flatgeobuf', fileExtension: 'fgb' },
  gpkg: { contentType: 'application/geopackage+sqlite3', fileExtension: 'gpkg' },
  shapefile: { contentType: 'application/zip', fileExtension: 'zip' },
}

/** Our own data, but GDAL still runs sandboxed; bigger collections than uploads, so more time and memory. */
const EXPORT_GDAL = { timeoutMs: 120_000, memoryBytes: 2 * 1024 * 1024 * 1024 }

export async function exportFeatures(fc: ExportFeatureCollection, format: ExportFormat, opts: ExportOptions): Promise<ExportedFile> {
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error('exportFeatures takes a GeoJSON FeatureCollection')
  if (!/^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/.test(opts.layerName)) {
    throw new ApiError('VALIDATION_FAILED', `The layer name ${JSON.stringify(opts.layerName)} is not usable as a file name: use letters, digits, "_" and "-" (at most 63).`)
  }
  const crs = opts.targetCrs
  if (crs !== undefined && (!Number.isInteger(crs) || crs <= 0 || crs > 999_999)) throw new ApiError('VALIDATION_FAILED', `targetCrs ${String(crs)} is not an EPSG code.`)
  if (crs !== undefined && crs !== 4326 && (format === 'geojson' || format === 'csv' || format === 'flatgeobuf')) {
    throw new ApiError('VALIDATION_FAILED', `${format === 'geojson' ? 'GeoJSON' : format === 'csv' ? 'CSV' : 'FlatGeobuf'} is exported in lon/lat EPSG:4326 only; choose GeoPackage or Shapefile for EPSG:${crs}.`)
  }
  const media = MEDIA[format]
  switch (format) {
    case 'geojson':
      return { bytes: Buffer.from(JSON.stringify(fc), 'utf8'), ...media }
    case 'csv':
      return { bytes: Buffer.from(featuresToCsv(fc), 'utf8'), ...media }
    case 'flatgeobuf': {
      const u8 = featuresToFlatGeobuf(fc)
      return { bytes: Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength), ...media }
    }
    case 'gpkg':
      return { bytes: await viaOgr2ogr(fc, ['-f', 'GPKG', 'out.gpkg'], 'out.gpkg', opts), ...media }
    case 'shapefile':
      return { bytes: await viaOgr2ogr(fc, ['-f', 'ESRI Shapefile', 'out.shp.zip', '-lco', 'ENCODING=UTF-8', ...shapefileTypeArgs(fc)], 'out.shp.zip', opts), ...media }
  }
}

async function viaOgr2ogr(fc: ExportFeatureCollection, output: string[], outFile: string, opts: ExportOptions): Promise<Buffer> {
  return withTempDir(EXPORT_TEMP_PREFIX, async (dir) => {
    await writeFile(path.join(dir, 'input.geojson'), JSON.stringify(fc), { mode: 0o600 })
    const run: GdalRun = { cwd: dir, ...EXPORT_GDAL, ...(opts.gdalBinDir ? { binDir: opts.gdalBinDir } : {}) }
    const args = [...output, 'input.geojson', '-nln', opts.layerName, ...(opts.targetCrs ? ['-t_srs', `EPSG:${opts.targetCrs}`] : [])]
    try {
      await runGdal('ogr2ogr', args, run)
    } catch (err) {
      if (err instanceof GdalFailure && /SRS definition|EPSG/i.test(err.detail) && opts.targetCrs) {
        throw new ApiError('VALIDATION_FAILED', `EPSG:${opts.targetCrs} is not a coordinate reference system GDAL can write (${err.detail}).`)
      }
      if (err instanceof GdalFailure) throw new Error(`ogr2ogr could not export "${opts.layerName}": ${err.detail}`)
      throw err
    }
    return readFile(path.join(dir, outFile))
  }, opts.tempRoot)
}

const FAMILY: Record<Geometry['type'], string> = {
  Point: 'points',
  MultiPoint: 'points',
  LineString: 'lines',
  MultiLineString: 'lines',
  Polygon: 'polygons',
  MultiPolygon: 'polygons',
  GeometryCollection: 'geometry collections',
}

/** A Shapefile holds one family; points mixed with multipoints are all written as multipoints. */
function shapefileTypeArgs(fc: ExportFeatureCollection): string[] {
  const types = new Set(fc.features.flatMap((f) => (f.geometry ? [f.geometry.type] : [])))
  const families = new Set([...types].map((t) => FAMILY[t]))
  if (types.has('GeometryCollection') || families.size > 1) {
    throw new ApiError('VALIDATION_FAILED', `A Shapefile holds one kind of geometry, and these features are ${[...families].join(' and ')}; export them as GeoPackage, or one kind at a time.`)
  }
  return types.has('Point') && types.has('MultiPoint') ? ['-nlt', 'MULTIPOINT'] : []
}
