/**
 * Reads a GeoPackage or a zipped Shapefile upload through ogr2ogr (sandboxed by gdal.ts), in a
 * private temporary directory removed afterwards, into lon/lat EPSG:4326 features. Before converting:
 *   - GeoPackage: the SQLite application_id must say GeoPackage; views, virtual tables other than the
 *     R-tree index and triggers other than the standard's (R-tree, metadata, tile matrix, GDAL's
 *     feature count) are refused — the file is opened read-only, so no trigger can fire, but a file
 *     carrying code is not one a GIS tool wrote; more than one layer needs `layerName`;
 *   - Shapefile: the archive checks of zip-inspect.ts;
 *   - both: the layer's CRS must carry an EPSG code GDAL recognised (no guessing), the feature count
 *     must be within the limit, and the GeoJSON ogr2ogr writes must be within maxConvertedBytes.
 * GDAL 3.6 has no `ogrinfo -json`: its text output is parsed, with names selected as hex() in SQL.
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../http/api-error'
import { GdalFailure, runGdal, type GdalRun } from './gdal'
import { readGeoJson } from './geojson-reader'
import { parseJsonGuarded } from './json-guard'
import { UPLOAD_TEMP_PREFIX, withTempDir } from './temp-dir'
import { formatBytes, formatCount, type UploadLimits } from './upload-limits'
import type { UploadedFeatures } from './uploaded-features'
import { openShapefileZip } from './zip-inspect'

export interface GdalReadOptions {
  /** Which layer of a multi-layer GeoPackage. */
  layerName?: string
  gdalBinDir?: string
  /** Where the temporary directory is made; default os.tmpdir(). */
  tempRoot?: string
}

/** 'GPKG' (GeoPackage 1.2+), 'GP10', 'GP11' (1.0, 1.1) at offset 68 of the SQLite header. */
const GPKG_APPLICATION_IDS = new Set(['GPKG', 'GP10', 'GP11'])

export async function readGeoPackage(bytes: Buffer, limits: UploadLimits, o: GdalReadOptions = {}): Promise<UploadedFeatures> {
  const appId = bytes.subarray(68, 72).toString('latin1')
  if (!GPKG_APPLICATION_IDS.has(appId)) {
    throw refused('The file is an SQLite database but not a GeoPackage (its application_id is not GPKG). Save the layer as GeoPackage (QGIS: Export → Save Features As… → GeoPackage).')
  }
  return withTempDir(UPLOAD_TEMP_PREFIX, async (dir) => {
    await writeFile(path.join(dir, 'upload.gpkg'), bytes, { mode: 0o600, flag: 'wx' })
    const run = gdalRun(dir, limits, o)
    await checkSchema(run)
    const layer = await chooseLayer(run, o.layerName)
    return convert(run, 'upload.gpkg', layer, 'gpkg', layer, limits)
  }, o.tempRoot)
}

export async function readShapefileZip(bytes: Buffer, limits: UploadLimits, o: GdalReadOptions = {}): Promise<UploadedFeatures> {
  const archive = await openShapefileZip(bytes, limits)
  try {
    return await withTempDir(UPLOAD_TEMP_PREFIX, async (dir) => {
      await archive.extract(dir)
      return convert(gdalRun(dir, limits, o), 'layer.shp', 'layer', 'shapefile', archive.stem, limits)
    }, o.tempRoot)
  } finally {
    archive.close()
  }
}

function gdalRun(dir: string, limits: UploadLimits, o: GdalReadOptions): GdalRun {
  return { cwd: dir, timeoutMs: limits.gdalTimeoutMs, memoryBytes: limits.gdalMemoryBytes, ...(o.gdalBinDir ? { binDir: o.gdalBinDir } : {}) }
}

async function ogr(tool: 'ogr2ogr' | 'ogrinfo', args: string[], run: GdalRun, what: string): Promise<string> {
  try {
    return await runGdal(tool, args, run)
  } catch (err) {
    if (!(err instanceof GdalFailure)) throw err
    const why =
      err.kind === 'timeout' || err.kind === 'cpu'
        ? `it took longer than ${run.timeoutMs / 1000} s`
        : err.kind === 'crash'
          ? `GDAL stopped (${err.detail}); the file may be damaged or need more than ${formatBytes(run.memoryBytes)} of memory`
          : err.detail
    throw refused(`GDAL could not ${what}: ${why}.`)
  }
}

// ---- GeoPackage schema ------------------------------------------------------------------------

const SCHEMA_SQL =
  "SELECT type AS type, hex(name) AS name, hex(tbl_name) AS tbl, instr(lower(sql), 'using rtree') > 0 AS rtree FROM sqlite_master " +
  "WHERE type IN ('trigger', 'view') OR (type = 'table' AND lower(sql) LIKE 'create virtual table%')"

/** Refuses views, non-R-tree virtual tables and triggers that are not the GeoPackage standard's. */
async function checkSchema(run: GdalRun): Promise<void> {
  const rows = parseSqlRows(await ogr('ogrinfo', ['-ro', '-q', 'upload.gpkg', '-sql', SCHEMA_SQL], run, 'open the GeoPackage'))
  for (const row of rows) {
    const name = unhex(row.name)
    const table = unhex(row.tbl)
    if (row.type === 'view') throw refused(`The GeoPackage defines the view "${name}"; views are refused. Save the layer as a plain table (QGIS: Export → Save Features As…) and upload that.`)
    if (row.type === 'table' && !(row.rtree === '1' && name.startsWith('rtree_'))) throw refused(`The GeoPackage defines the virtual table "${name}", which is refused (only the R-tree spatial index is accepted).`)
    if (row.type === 'trigger' && !isStandardTrigger(name, table)) {
      throw refused(`The GeoPackage defines the trigger "${name}" on "${table}", which is not one of the GeoPackage standard's. Triggers run code when data changes and are refused: remove it (DROP TRIGGER) or save the layer anew with QGIS or ogr2ogr.`)
    }
  }
}

/** Triggers of the GeoPackage standard (R-tree index, metadata, tile matrix) and GDAL's feature count, by name and table. */
export function isStandardTrigger(name: string, table: string): boolean {
  if (['gpkg_tile_matrix', 'gpkg_metadata', 'gpkg_metadata_reference'].includes(table)) return name.startsWith(`${table}_`) && /_(insert|update)$/.test(name)
  if (name === `trigger_insert_feature_count_${table}` || name === `trigger_delete_feature_count_${table}`) return true
  return name.startsWith(`rtree_${table}_`) && /_(insert|update[1-7]?|delete)$/.test(name)
}

async function chooseLayer(run: GdalRun, wanted: string | undefined): Promise<string> {
  const sql = "SELECT hex(table_name) AS name, data_type AS kind FROM gpkg_contents WHERE data_type IN ('features', 'attributes')"
  const layers = parseSqlRows(await ogr('ogrinfo', ['-ro', '-q', 'upload.gpkg', '-sql', sql], run, 'list the GeoPackage layers')).map((r) => unhex(r.name))
  if (layers.length === 0) throw refused('The GeoPackage holds no vector layer.')
  const list = layers.map((l) => `"${l}"`).join(', ')
  let layer: string
  if (wanted !== undefined) {
    if (!layers.includes(wanted)) throw refused(`The GeoPackage has no layer "${wanted}"; its layers are ${list}.`)
    layer = wanted
  } else if (layers.length > 1) {
    throw refused(`The GeoPackage holds ${layers.length} layers (${list}); choose the one to import.`)
  } else {
    layer = layers[0] as string
  }
  // The name goes to ogr2ogr as an argument: one starting with '-' would read as an option.
  if (layer.startsWith('-') || /[\u0000-\u001f]/.test(layer)) throw refused(`The layer name ${JSON.stringify(layer)} cannot be read safely; rename the layer (no leading "-", no control characters).`)
  return layer
}

// ---- Layer info and conversion --------------------------------------------------------------------

async function convert(run: GdalRun, source: string, layer: string, format: 'gpkg' | 'shapefile', layerName: string, limits: UploadLimits): Promise<UploadedFeatures> {
  const info = parseLayerInfo(await ogr('ogrinfo', ['-ro', '-so', '-nomd', '-noextent', source, layer], run, 'read the layer'))
  if (info.geometry === 'None') throw refused(`The layer "${layerName}" has no geometry column; census features need a location.`)
  const sourceCrs = epsgOf(info.srsWkt)
  if (sourceCrs === null) {
    const what = info.srsWkt === null ? 'has no coordinate reference system' : 'has a coordinate reference system without an EPSG code'
    throw refused(`The layer "${layerName}" ${what}, and Gemello does not guess one. Assign its CRS (QGIS: Layer Properties → Source → CRS, e.g. EPSG:7791 or EPSG:3003) and save it again.`)
  }
  if (info.featureCount !== null && info.featureCount > limits.maxFeatures) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `The layer "${layerName}" holds ${formatCount(info.featureCount)} features; at most ${formatCount(limits.maxFeatures)} are accepted per file. Split it.`)
  }
  const args = ['-f', 'GeoJSON', '-t_srs', 'EPSG:4326', '-lco', 'RFC7946=YES', '-lco', 'COORDINATE_PRECISION=9', '-limit', String(limits.maxFeatures + 1), 'out.geojson', source, layer]
  await ogr('ogr2ogr', args, run, `convert the layer "${layerName}" to lon/lat`)
  const out = path.join(run.cwd, 'out.geojson')
  const size = (await stat(out)).size
  if (size > limits.maxConvertedBytes) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `The layer "${layerName}" converts to ${formatBytes(size)} of GeoJSON; at most ${formatBytes(limits.maxConvertedBytes)} are accepted. Split it.`)
  }
  const read = readGeoJson(parseJsonGuarded(await readFile(out, 'utf8'), limits.maxJsonDepth), limits)
  return { format, layerName, sourceCrs, features: read.features, problems: read.problems }
}

export interface LayerInfo {
  featureCount: number | null
  geometry: string | null
  /** The layer SRS as WKT2, null for '(unknown)'. */
  srsWkt: string | null
}

/** The parts of `ogrinfo -so` output we use. */
export function parseLayerInfo(stdout: string): LayerInfo {
  const count = /^Feature Count: (-?\d+)$/m.exec(stdout)
  const geometry = /^Geometry: (.+)$/m.exec(stdout)
  const lines = stdout.split('\n')
  const at = lines.findIndex((l) => l.startsWith('Layer SRS WKT:'))
  let srsWkt: string | null = null
  if (at >= 0) {
    const first = lines[at + 1] ?? ''
    if (first.trim() !== '(unknown)' && first.trim() !== '') {
      const rest: string[] = []
      for (const l of lines.slice(at + 2)) {
        if (!/^\s/.test(l)) break
        rest.push(l)
      }
      srsWkt = [first, ...rest].join('\n')
    }
  }
  const n = count ? Number(count[1]) : null
  return { featureCount: n !== null && n >= 0 ? n : null, geometry: geometry ? (geometry[1] as string).trim() : null, srsWkt }
}

/** 'EPSG:3003' from the CRS's own ID["EPSG",3003] (the one at the top level of the WKT), or null. */
export function epsgOf(wkt: string | null): string | null {
  if (wkt === null) return null
  let depth = 0
  let inString = false
  for (let i = 0; i < wkt.length; i++) {
    const c = wkt[i]
    if (inString) {
      if (c === '"') inString = wkt[i + 1] === '"' ? (i++, true) : false
    } else if (c === '"') inString = true
    else if (c === '[' || c === '(') depth++
    else if (c === ']' || c === ')') depth--
    else if (depth === 1 && /[A-Z]/i.test(c ?? '') && !/[A-Z_]/i.test(wkt[i - 1] ?? '')) {
      const m = /^(?:ID|AUTHORITY)\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]/i.exec(wkt.slice(i))
      if (m) return `EPSG:${m[1]}`
    }
  }
  return null
}

/** Rows of `ogrinfo -sql` text output: '  name (String) = 706F6C6573' lines under 'OGRFeature(SELECT):n'. */
export function parseSqlRows(stdout: string): Array<Record<string, string>> {
  const rows: Array<Record<string, string>> = []
  let row: Record<string, string> | null = null
  for (const line of stdout.split('\n')) {
    if (/^OGRFeature\(.*\):\d+$/.test(line)) {
      row = {}
      rows.push(row)
      continue
    }
    const m = /^\s+(\w+) \(\w+\) = (.*)$/.exec(line)
    if (row && m) row[m[1] as string] = m[2] === '(null)' ? '' : (m[2] as string)
  }
  return rows
}

const unhex = (hex: string | undefined) => Buffer.from(hex ?? '', 'hex').toString('utf8')

const refused = (message: string) => new ApiError('UPLOAD_REFUSED', message)
