/**
 * Reads a dataset's GeoJSON (docs/dashboards.md "Loading a dataset"): a FeatureCollection (RFC 7946,
 * lon/lat WGS 84), one row per feature, the columns its features' property names. A feature without
 * geometry (null) is a row all the same — it counts in the city's totals, unplaced. Refused as a whole,
 * naming the feature: text that is not JSON, not a FeatureCollection, a member that is not a Feature,
 * properties that are not an object, a geometry that is not GeoJSON (unknown type, positions that are
 * not [lon, lat] in degrees, an unclosed ring), a CRS other than lon/lat.
 */
import { checkGeometry } from '../../census/files/geometry-check'
import { parseJsonGuarded } from '../../census/files/json-guard'
import { ApiError } from '../../http/api-error'
import { dataInvalid, type DatasetFile, type DatasetFileRow } from './dataset-file'

/** Vertices a feature may have (a district's outline has ≈ 5,000); more is refused (413) as a file to simplify. */
const MAX_VERTICES_PER_FEATURE = 1_000_000
const MAX_JSON_DEPTH = 32

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function readGeoJsonDataset(text: string): DatasetFile {
  let doc: unknown
  try {
    doc = parseJsonGuarded(text.replace(/^\uFEFF/, ''), MAX_JSON_DEPTH)
  } catch (err) {
    if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') throw dataInvalid(`The GeoJSON cannot be read: ${err.message}`)
    throw err
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw dataInvalid('The GeoJSON is not a FeatureCollection: expected {"type": "FeatureCollection", "features": [...]}.')
  }
  checkCrs(doc.crs)
  if (doc.features.length === 0) throw dataInvalid('The GeoJSON FeatureCollection has no features.')
  const columns = new Set<string>()
  const rows: DatasetFileRow[] = doc.features.map((item, i) => {
    const where = `feature ${i + 1}`
    if (!isObject(item) || item.type !== 'Feature') throw dataInvalid(`The GeoJSON's ${where} is not a Feature (an object with "type": "Feature").`)
    const props = item.properties ?? {}
    if (!isObject(props)) throw dataInvalid(`The GeoJSON's ${where}: "properties" is not an object.`)
    for (const k of Object.keys(props)) columns.add(k)
    const g = checkGeometry(item.geometry, MAX_VERTICES_PER_FEATURE, `The GeoJSON's ${where}`)
    if (g.problem !== null) throw dataInvalid(`The GeoJSON's ${where}: ${g.problem}.`)
    return { row: i + 1, where, cells: props, geometry: g.geometry }
  })
  return { columns: [...columns], rows }
}

/** RFC 7946 has no `crs`; an old-style named CRS is accepted only when it is lon/lat WGS 84. */
function checkCrs(crs: unknown): void {
  if (crs === undefined || crs === null) return
  const name = isObject(crs) && isObject(crs.properties) && typeof crs.properties.name === 'string' ? crs.properties.name : ''
  if (/CRS84$|EPSG:+4326$/i.test(name.trim())) return
  throw dataInvalid(`The GeoJSON declares the CRS ${JSON.stringify(name || crs)}; positions must be lon/lat WGS 84 (RFC 7946): reproject it (ogr2ogr -t_srs EPSG:4326 -lco RFC7946=YES).`)
}
