/**
 * Reads a GeoJSON FeatureCollection, converts its positions to lon/lat EPSG:4326 from the source
 * CRS (source-crs.ts: the `--crs` option, else the legacy `crs` member, else RFC 7946 lon/lat) and
 * checks each feature's geometry structurally: types we store, finite coordinates, enough
 * positions, closed rings, every vertex inside the city envelope. PostGIS checks validity
 * (ST_IsValid) at import.
 */
import { z } from 'zod'
import type { LonLat } from '../../../contracts/schemas/device'
import { DatasetFileError, type ProblemLog } from './read-result'
import { readTextFile } from './csv-table'
import { describeEnvelope, inEnvelope, type Envelope } from './row-checks'
import { DEFAULT_CRS, resolveCrs, toLonLat, type CrsOrigin, type SourceCrs, type SourceCrsUsed } from './source-crs'

const position = z.array(z.number()).min(2).max(3)
export const GeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: position }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
])
export type Geometry = z.infer<typeof GeometrySchema>

const FeatureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.record(z.string(), z.unknown()).nullable(),
  geometry: z.unknown(),
})

const FeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
  crs: z.unknown().optional(),
})

/** The legacy GeoJSON 2008 `crs` member: only the named form is read. */
const NamedCrsSchema = z.object({ type: z.literal('name'), properties: z.object({ name: z.string() }) })

export interface RawFeature {
  /** 1-based feature number in the file. */
  row: number
  properties: Record<string, unknown>
  /** The geometry; null when the feature cannot be used at all. */
  geometry: Geometry | null
  /** Why the feature cannot be imported (bad geometry, outside the city, NUL in a property), or null. */
  problem: string | null
}

/** What every GeoJSON reader takes besides the file. */
export interface GeoJsonReadOptions {
  envelope?: Envelope
  /** The source CRS ('EPSG:3003'): sets it for a file without a `crs` member, overrides the member otherwise. */
  crs?: string
}

export interface FeatureCollectionRead {
  features: RawFeature[]
  sourceCrs: SourceCrsUsed
}

/**
 * Parses the file and converts every position to lon/lat before checking it. A file that is not a
 * FeatureCollection, or whose CRS (member or `crs`) is not supported, throws a DatasetFileError.
 */
export function readFeatureCollection(file: string, env: Envelope, crsOption?: string): FeatureCollectionRead {
  let json: unknown
  try {
    json = JSON.parse(readTextFile(file))
  } catch (err) {
    if (err instanceof DatasetFileError) throw err
    throw new DatasetFileError(`${file} is not JSON: ${(err as Error).message}`, file)
  }
  const fc = FeatureCollectionSchema.safeParse(json)
  if (!fc.success) throw new DatasetFileError(`${file} is not a GeoJSON FeatureCollection (${fc.error.issues[0]?.message ?? 'invalid'}).`, file)
  const { crs, from } = sourceCrs(file, fc.data.crs, crsOption)
  const convert = toLonLat(crs)
  const notLonLat = crs.geographic ? projectedHint(crs, from) : undefined
  const features = fc.data.features.map((raw, i): RawFeature => {
    const row = i + 1
    const f = FeatureSchema.safeParse(raw)
    if (!f.success) return { row, properties: {}, geometry: null, problem: 'not a GeoJSON Feature' }
    const g = GeometrySchema.safeParse(f.data.geometry)
    const properties = f.data.properties ?? {}
    if (!g.success) {
      const type = (f.data.geometry as { type?: unknown } | null)?.type
      return { row, properties, geometry: null, problem: f.data.geometry === null ? 'no geometry' : `unsupported or malformed geometry (${String(type)})` }
    }
    // PostgreSQL text and jsonb cannot hold NUL.
    if (JSON.stringify(properties).includes('\\u0000')) return { row, properties, geometry: null, problem: 'a property contains a NUL character' }
    const geometry = reproject(g.data, convert)
    return { row, properties, geometry, problem: checkGeometry(geometry, env, notLonLat) }
  })
  return { features, sourceCrs: { code: crs.code, from } }
}

/** The CRS to read the file in: the option, else the file's member, else lon/lat (RFC 7946). */
function sourceCrs(file: string, member: unknown, option: string | undefined): { crs: SourceCrs; from: CrsOrigin } {
  if (option !== undefined) return { crs: resolveCrs(option, file, '--crs names'), from: 'option' }
  if (member === undefined || member === null) return { crs: DEFAULT_CRS, from: 'default' }
  const named = NamedCrsSchema.safeParse(member)
  if (!named.success) throw new DatasetFileError(`${file} has a "crs" member that is not of the form {"type": "name", "properties": {"name": "EPSG:…"}}; give the CRS with --crs EPSG:<code>.`, file)
  return { crs: resolveCrs(named.data.properties.name, file, `${file} declares`), from: 'file' }
}

/** What to say of metres in a file read as lon/lat. */
function projectedHint(crs: SourceCrs, from: CrsOrigin): string {
  if (from === 'default') return 'the file declares no CRS: give it with --crs EPSG:<code>'
  return `the file is read as ${crs.code} (${from === 'option' ? '--crs' : 'its "crs" member'}); give the right one with --crs EPSG:<code>`
}

type Convert = (xy: readonly [number, number]) => [number, number]

/** The geometry with every position converted (a third value, the height, is kept as is). */
function reproject(g: Geometry, convert: Convert): Geometry {
  const pos = (p: number[]): number[] => [...convert([p[0] as number, p[1] as number]), ...p.slice(2)]
  const line = (l: number[][]) => l.map(pos)
  switch (g.type) {
    case 'Point':
      return { type: g.type, coordinates: pos(g.coordinates) }
    case 'LineString':
      return { type: g.type, coordinates: line(g.coordinates) }
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: g.coordinates.map(line) }
    case 'MultiPolygon':
      return { type: g.type, coordinates: g.coordinates.map((p) => p.map(line)) }
  }
}

/**
 * Structural problems PostGIS would either refuse to parse or that put the feature outside the city;
 * null when fine. `notLonLat`, for a file read as lon/lat, is what to suggest when a vertex is no
 * lon/lat at all (obviously projected metres).
 */
export function checkGeometry(g: Geometry, env: Envelope, notLonLat?: string): string | null {
  const positions: number[][] = []
  const lines: number[][][] = []
  const rings: number[][][] = []
  switch (g.type) {
    case 'Point':
      positions.push(g.coordinates)
      break
    case 'LineString':
      lines.push(g.coordinates)
      break
    case 'MultiLineString':
      lines.push(...g.coordinates)
      break
    case 'Polygon':
      rings.push(...g.coordinates)
      break
    case 'MultiPolygon':
      for (const p of g.coordinates) rings.push(...p)
      break
  }
  if ((g.type === 'MultiLineString' && lines.length === 0) || (g.type === 'Polygon' && rings.length === 0) || (g.type === 'MultiPolygon' && g.coordinates.length === 0)) {
    return `empty ${g.type}`
  }
  if (g.type === 'MultiPolygon' && g.coordinates.some((p) => p.length === 0)) return 'a polygon of the MultiPolygon has no rings'
  for (const l of lines) {
    if (l.length < 2) return `a line has ${l.length} position(s); at least 2 are needed`
    positions.push(...l)
  }
  for (const r of rings) {
    if (r.length < 4) return `a ring has ${r.length} position(s); at least 4 are needed`
    const a = r[0] as number[]
    const b = r[r.length - 1] as number[]
    if (a[0] !== b[0] || a[1] !== b[1]) return 'a ring is not closed (first and last positions differ)'
    positions.push(...r)
  }
  for (const p of positions) {
    const lon = p[0] as number
    const lat = p[1] as number
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return 'a coordinate is not a finite number'
    if (notLonLat !== undefined && (Math.abs(lon) > 180 || Math.abs(lat) > 90)) return `vertex ${lon}, ${lat} is not lon/lat (projected metres?); ${notLonLat}`
    if (!inEnvelope([lon, lat] as LonLat, env)) return `vertex ${lon}, ${lat} is outside the city envelope (${describeEnvelope(env)})`
  }
  return null
}

/** A property as trimmed text ('' for null/undefined); numbers are written without a trailing ".0". */
export function propText(props: Record<string, unknown>, key: string): string {
  const v = props[key]
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return String(v)
  return String(v).trim()
}

/** A numeric property, or null when absent or not a number. */
export function propNumber(props: Record<string, unknown>, key: string): number | null {
  const v = props[key]
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return null
}

type GeometryType = Geometry['type']

/** How a reader keys its features and which geometries it stores. */
export interface FeatureRules<T extends GeometryType> {
  /** The feature's id; '' (or null) when it has none. */
  id(props: Record<string, unknown>): string | null
  /** The reason for a feature without id: 'no node code ("codice")'. */
  noId: string
  /** What the id is called in the duplicate message: 'codice' → "duplicate codice (first at feature 3)". */
  idName: string
  /** The geometry types the reader stores. */
  types: readonly T[]
  /** Said after the actual type when it is not one of `types`: 'a street node is a Point'. */
  expected: string
}

export interface KeyedFeature<T extends GeometryType> {
  row: number
  id: string
  properties: Record<string, unknown>
  geometry: Extract<Geometry, { type: T }>
}

/**
 * The features with an id not seen before in the file and a usable geometry of one of the rule's
 * types, in file order. Every other feature is rejected in `log` with the first reason that applies:
 * no id, duplicate id (the first feature with it keeps it, even if its geometry is then refused),
 * the geometry's problem, the wrong geometry type.
 */
export function keyedFeatures<T extends GeometryType>(features: readonly RawFeature[], log: ProblemLog, rules: FeatureRules<T>): KeyedFeature<T>[] {
  const out: KeyedFeature<T>[] = []
  const seen = new Map<string, number>()
  for (const f of features) {
    const id = rules.id(f.properties) ?? ''
    if (id === '') {
      log.reject(f.row, undefined, rules.noId)
      continue
    }
    const earlier = seen.get(id)
    if (earlier !== undefined) {
      log.reject(f.row, id, `duplicate ${rules.idName} (first at feature ${earlier})`)
      continue
    }
    seen.set(id, f.row)
    if (f.problem || !f.geometry) {
      log.reject(f.row, id, f.problem ?? 'no geometry')
      continue
    }
    if (!(rules.types as readonly GeometryType[]).includes(f.geometry.type)) {
      log.reject(f.row, id, `geometry is a ${f.geometry.type}; ${rules.expected}`)
      continue
    }
    out.push({ row: f.row, id, properties: f.properties, geometry: f.geometry as Extract<Geometry, { type: T }> })
  }
  return out
}
