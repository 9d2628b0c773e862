/**
 * Reads a CSV upload: UTF-8 (a BOM is dropped), separated by `;` or `,` (whichever splits the header
 * line into more cells), RFC 4180 quotes. The geometry comes from a WKT column (wkt, wkt_geom,
 * geometry, geom, the_geom) or else from longitude/latitude columns (lon, lng, long, longitude,
 * longitudine, x / lat, latitude, latitudine, y), names matched case-insensitively, always lon/lat
 * EPSG:4326. A `;` file may write decimals with a comma (11,3426). Other columns become string
 * properties (an empty cell is null). A row with a bad geometry is a problem naming its row and line,
 * never an exception; a file without a geometry column is refused.
 */
import { parse } from 'csv-parse/sync'
import { ApiError } from '../../http/api-error'
import { checkGeometry, tooManyVertices } from './geometry-check'
import { formatCount, type UploadLimits } from './upload-limits'
import type { FeatureProblem, Geometry, UploadedFeature } from './uploaded-features'
import { parseWkt, WktError, WktVertexLimitError } from './wkt'

type Limits = Pick<UploadLimits, 'maxFeatures' | 'maxVerticesPerFeature'>

const WKT_COLUMNS = ['wkt', 'wkt_geom', 'geometry', 'geom', 'the_geom']
const LON_COLUMNS = ['lon', 'lng', 'long', 'longitude', 'longitudine', 'x']
const LAT_COLUMNS = ['lat', 'latitude', 'latitudine', 'y']

export interface CsvRead {
  features: UploadedFeature[]
  problems: FeatureProblem[]
}

type GeometryColumns = { kind: 'wkt'; wkt: number } | { kind: 'lonlat'; lon: number; lat: number }

export function readCsv(text: string, limits: Limits): CsvRead {
  const body = text.replace(/^\uFEFF/, '')
  const delimiter = sniffDelimiter(body.slice(0, body.search(/\r?\n|$/)))
  let records: Array<{ record: string[]; info: { lines: number } }>
  try {
    records = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true, to: limits.maxFeatures + 2 }) as unknown as typeof records
  } catch (err) {
    throw refused(`The CSV cannot be read (separator "${delimiter}"): ${(err as Error).message}.`)
  }
  const head = records[0]
  if (!head) throw refused('The CSV is empty: expected a header line and one row per feature.')
  if (records.length - 1 > limits.maxFeatures) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `The CSV holds more than ${formatCount(limits.maxFeatures)} rows, the most accepted per file. Split it.`)
  }
  const header = head.record.map((h, i) => h.trim() || `column_${i + 1}`)
  const duplicate = header.find((h, i) => header.indexOf(h) !== i)
  if (duplicate !== undefined) throw refused(`The CSV header names the column "${duplicate}" twice; every column needs its own name.`)
  const columns = geometryColumns(header)
  const geometryIndexes = new Set(columns.kind === 'wkt' ? [columns.wkt] : [columns.lon, columns.lat])

  const features: UploadedFeature[] = []
  const problems: FeatureProblem[] = []
  records.slice(1).forEach(({ record, info }, index) => {
    const where = `Row ${index + 1} (line ${info.lines})`
    const properties: Record<string, unknown> = {}
    header.forEach((name, i) => {
      if (!geometryIndexes.has(i)) properties[name] = record[i] === undefined || record[i] === '' ? null : record[i]
    })
    const feature: UploadedFeature = { index, geometry: null, properties }
    features.push(feature)
    if (record.length !== header.length) {
      problems.push({ index, message: `${where} has ${record.length} values where the header has ${header.length} columns.` })
      return
    }
    const read = columns.kind === 'wkt' ? wktGeometry(record[columns.wkt] ?? '', where, limits) : pointGeometry(record[columns.lon] ?? '', record[columns.lat] ?? '', header, columns, delimiter)
    if ('problem' in read) {
      problems.push({ index, message: `${where}: ${read.problem}.` })
      return
    }
    const checked = checkGeometry(read.geometry, limits.maxVerticesPerFeature, where)
    if (checked.problem !== null) problems.push({ index, message: `${where}: ${checked.problem}.` })
    feature.geometry = checked.geometry
  })
  return { features, problems }
}

/** The candidate separator that splits the header line into more cells, quotes respected; ',' on a tie. */
export function sniffDelimiter(headerLine: string): ';' | ',' {
  const count = (d: string) => {
    let inQuotes = false
    let n = 0
    for (const ch of headerLine) {
      if (ch === '"') inQuotes = !inQuotes
      else if (ch === d && !inQuotes) n++
    }
    return n
  }
  return count(';') > count(',') ? ';' : ','
}

function geometryColumns(header: string[]): GeometryColumns {
  const lower = header.map((h) => h.toLowerCase())
  const find = (names: string[]) => names.map((n) => lower.indexOf(n)).find((i) => i >= 0)
  const wkt = find(WKT_COLUMNS)
  if (wkt !== undefined) return { kind: 'wkt', wkt }
  const lon = find(LON_COLUMNS)
  const lat = find(LAT_COLUMNS)
  if (lon !== undefined && lat !== undefined) return { kind: 'lonlat', lon, lat }
  throw refused(
    `The CSV has no geometry column. Expected a WKT column (${WKT_COLUMNS.join(', ')}) or longitude and latitude columns (${LON_COLUMNS.join(', ')} / ${LAT_COLUMNS.join(', ')}); found: ${header.join(', ')}.`,
  )
}

type GeometryRead = { geometry: Geometry | null } | { problem: string }

function wktGeometry(cell: string, where: string, limits: Limits): GeometryRead {
  if (cell.trim() === '') return { geometry: null }
  try {
    return { geometry: parseWkt(cell, limits.maxVerticesPerFeature) }
  } catch (err) {
    if (err instanceof WktVertexLimitError) throw tooManyVertices(where, limits.maxVerticesPerFeature)
    if (err instanceof WktError) return { problem: `the WKT geometry cannot be read: ${err.message}` }
    throw err
  }
}

function pointGeometry(lonCell: string, latCell: string, header: string[], c: { lon: number; lat: number }, delimiter: string): GeometryRead {
  const lonText = lonCell.trim()
  const latText = latCell.trim()
  if (lonText === '' && latText === '') return { geometry: null }
  const lon = coordinate(lonText, delimiter)
  const lat = coordinate(latText, delimiter)
  if (lon === null) return { problem: `${header[c.lon]} ${JSON.stringify(lonText)} is not a number` }
  if (lat === null) return { problem: `${header[c.lat]} ${JSON.stringify(latText)} is not a number` }
  return { geometry: { type: 'Point', coordinates: [lon, lat] } }
}

function coordinate(text: string, delimiter: string): number | null {
  // A `;` file from an Italian spreadsheet writes 11,3426.
  const t = delimiter === ';' && /^[+-]?\d+,\d+$/.test(text) ? text.replace(',', '.') : text
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null
  const n = Number(t)
  return Number.isFinite(n) ? n : null
}

const refused = (message: string) => new ApiError('UPLOAD_REFUSED', message)
