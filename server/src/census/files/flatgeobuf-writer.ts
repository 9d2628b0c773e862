/**
 * Census features as FlatGeobuf (lon/lat, CRS EPSG:4326 in the header), in JavaScript with the
 * `flatgeobuf` package, so this format works without GDAL. The package's own `serialize` takes the
 * columns and their types from the first feature only (a later value of another type is written
 * wrong, a missing one as "undefined"), so the header is built here from every feature: a column of
 * only booleans is Bool, of only safe integers Long, of only numbers Double, of objects Json, anything
 * mixed String. No spatial index is written. A feature without geometry cannot be written (the
 * package requires one): VALIDATION_FAILED naming it.
 */
import { ApiError } from '../../http/api-error'
import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js'
import { magicbytes } from 'flatgeobuf/lib/mjs/constants.js'
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js'
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js'
import { buildFeature, type IProperties } from 'flatgeobuf/lib/mjs/generic/feature.js'
import { buildHeader } from 'flatgeobuf/lib/mjs/generic/featurecollection.js'
import { parseGC, parseGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js'
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js'
import type { ExportFeatureCollection, Geometry } from './uploaded-features'

export function featuresToFlatGeobuf(fc: ExportFeatureCollection): Uint8Array {
  const missing = fc.features.findIndex((f) => f.geometry === null)
  if (missing >= 0) throw new ApiError('VALIDATION_FAILED', `Feature ${missing + 1} has no geometry, which FlatGeobuf cannot hold; export as GeoPackage or GeoJSON instead.`)
  const columns = inferColumns(fc)
  const header: HeaderMeta = {
    geometryType: geometryTypeOf(fc.features.map((f) => f.geometry as Geometry)),
    columns,
    envelope: null,
    featuresCount: fc.features.length,
    indexNodeSize: 0,
    crs: null,
    title: null,
    description: null,
    metadata: null,
  }
  const parts: Uint8Array[] = [magicbytes, buildHeader(header, 4326)]
  for (const f of fc.features) {
    const g = f.geometry as Geometry
    const parsed = g.type === 'GeometryCollection' ? parseGC(g as never) : parseGeometry(g as never)
    parts.push(buildFeature(parsed, properties(f.properties ?? {}, columns), header))
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

function inferColumns(fc: ExportFeatureCollection): ColumnMeta[] {
  const types = new Map<string, ColumnType | null>()
  for (const f of fc.features) {
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      const t = valueType(v)
      const seen = types.get(k)
      if (seen === undefined || seen === null) types.set(k, t)
      else if (t !== null && t !== seen) types.set(k, seen === ColumnType.Long && t === ColumnType.Double ? ColumnType.Double : seen === ColumnType.Double && t === ColumnType.Long ? ColumnType.Double : ColumnType.String)
    }
  }
  return [...types].map(([name, type]) => ({ name, type: type ?? ColumnType.String, title: null, description: null, width: -1, precision: -1, scale: -1, nullable: true, unique: false, primary_key: false }))
}

function valueType(v: unknown): ColumnType | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean') return ColumnType.Bool
  if (typeof v === 'number') return Number.isSafeInteger(v) ? ColumnType.Long : ColumnType.Double
  if (typeof v === 'string') return ColumnType.String
  return ColumnType.Json
}

/** Every column present, each value of its column's type (null when missing). */
function properties(props: Record<string, unknown>, columns: ColumnMeta[]): IProperties {
  const out: IProperties = {}
  for (const c of columns) {
    const v = props[c.name]
    if (v === null || v === undefined) out[c.name] = null
    else if (c.type === ColumnType.String) out[c.name] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)
    else out[c.name] = v as IProperties[string]
  }
  return out
}

const GEOMETRY_TYPES: Record<Geometry['type'], GeometryType> = {
  Point: GeometryType.Point,
  MultiPoint: GeometryType.MultiPoint,
  LineString: GeometryType.LineString,
  MultiLineString: GeometryType.MultiLineString,
  Polygon: GeometryType.Polygon,
  MultiPolygon: GeometryType.MultiPolygon,
  GeometryCollection: GeometryType.GeometryCollection,
}

/** The one type of every geometry, or Unknown (mixed, or no feature). */
function geometryTypeOf(geometries: Geometry[]): GeometryType {
  const types = new Set(geometries.map((g) => GEOMETRY_TYPES[g.type]))
  return types.size === 1 ? ([...types][0] as GeometryType) : GeometryType.Unknown
}
