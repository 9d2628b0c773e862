/**
 * Reads a parsed GeoJSON document (RFC 7946) into uploaded features: a FeatureCollection or a single
 * Feature, positions lon/lat EPSG:4326. A `crs` member naming anything but CRS84/EPSG:4326 is refused
 * (reproject first: nothing is guessed). Used for GeoJSON uploads and for the GeoJSON ogr2ogr writes
 * from a GeoPackage or Shapefile. Limits: features per file (413), vertices per feature (413).
 */
import { ApiError } from '../../http/api-error'
import { checkGeometry } from './geometry-check'
import { formatCount, type UploadLimits } from './upload-limits'
import type { FeatureProblem, UploadedFeature } from './uploaded-features'

export interface GeoJsonRead {
  /** The collection's `name` member, when it has one. */
  name: string | null
  features: UploadedFeature[]
  problems: FeatureProblem[]
}

type Limits = Pick<UploadLimits, 'maxFeatures' | 'maxVerticesPerFeature'>

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The features of `doc`; UPLOAD_REFUSED when it is not a GeoJSON Feature(Collection) in lon/lat. */
export function readGeoJson(doc: unknown, limits: Limits): GeoJsonRead {
  if (!isObject(doc)) throw refused('The JSON is not a GeoJSON object: expected {"type": "FeatureCollection", "features": [...]}.')
  checkCrsMember(doc.crs)
  let items: unknown[]
  if (doc.type === 'FeatureCollection') {
    if (!Array.isArray(doc.features)) throw refused('The FeatureCollection has no "features" array.')
    items = doc.features
  } else if (doc.type === 'Feature') {
    items = [doc]
  } else {
    throw refused(`The JSON is ${describe(doc)}, not a GeoJSON FeatureCollection or Feature.`)
  }
  if (items.length > limits.maxFeatures) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `The file holds ${formatCount(items.length)} features; at most ${formatCount(limits.maxFeatures)} are accepted per file. Split it.`)
  }
  const features: UploadedFeature[] = []
  const problems: FeatureProblem[] = []
  items.forEach((item, index) => {
    const { feature, problem } = readFeature(item, index, limits)
    features.push(feature)
    if (problem !== null) problems.push({ index, message: problem })
  })
  return { name: typeof doc.name === 'string' ? doc.name : null, features, problems }
}

function readFeature(item: unknown, index: number, limits: Limits): { feature: UploadedFeature; problem: string | null } {
  const where = `Feature ${index + 1}`
  if (!isObject(item) || item.type !== 'Feature') {
    return { feature: { index, geometry: null, properties: {} }, problem: `${where} is not a GeoJSON Feature (an object with "type": "Feature").` }
  }
  const label = typeof item.id === 'string' || typeof item.id === 'number' ? `${where} (id ${JSON.stringify(item.id)})` : where
  const feature: UploadedFeature = { index, geometry: null, properties: {} }
  if (typeof item.id === 'string' || typeof item.id === 'number') feature.id = item.id
  if (isObject(item.properties)) feature.properties = item.properties
  else if (item.properties !== null && item.properties !== undefined) return { feature, problem: `${label}: "properties" is not an object.` }
  if (item.id !== undefined && feature.id === undefined) return { feature, problem: `${label}: "id" must be a string or a number.` }
  const checked = checkGeometry(item.geometry, limits.maxVerticesPerFeature, label)
  feature.geometry = checked.geometry
  return { feature, problem: checked.problem === null ? null : `${label}: ${checked.problem}.` }
}

/** RFC 7946 has no `crs`; the 2008 spec's named CRS is accepted only when it is lon/lat WGS 84. */
function checkCrsMember(crs: unknown): void {
  if (crs === undefined || crs === null) return
  const name = isObject(crs) && crs.type === 'name' && isObject(crs.properties) && typeof crs.properties.name === 'string' ? crs.properties.name : null
  if (name !== null && isLonLatWgs84(name)) return
  const what = name === null ? 'a "crs" member Gemello cannot read' : `the CRS "${name}"`
  throw refused(`The GeoJSON declares ${what}. GeoJSON uploads must be lon/lat WGS 84 (RFC 7946, EPSG:4326): reproject it (ogr2ogr -t_srs EPSG:4326 -lco RFC7946=YES) or upload a GeoPackage, which keeps its CRS.`)
}

function isLonLatWgs84(name: string): boolean {
  const t = name.trim()
  if (/(^|[:/])CRS84$/i.test(t)) return true
  const m = /^(?:urn:(?:x-)?ogc:def:crs:)?EPSG:(?:[\d.]*:)?(\d+)$/i.exec(t) ?? /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(t)
  return m !== null && Number(m[1]) === 4326
}

function describe(doc: Record<string, unknown>): string {
  if (doc.type === 'Topology') return 'TopoJSON'
  if (Array.isArray(doc.features) && ('geometryType' in doc || 'spatialReference' in doc)) return 'Esri JSON'
  if (typeof doc.type === 'string' && 'coordinates' in doc) return `a bare ${doc.type} geometry (wrap it in a Feature)`
  return typeof doc.type === 'string' ? `of type ${JSON.stringify(doc.type)}` : 'an object without a GeoJSON "type"'
}

const refused = (message: string) => new ApiError('UPLOAD_REFUSED', message)
