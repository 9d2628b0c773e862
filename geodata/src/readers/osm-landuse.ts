/**
 * Reads OpenStreetMap land-use polygons (`bologna_osm_landuse.geojson`, as exported with the
 * other OSM tags nested under `tags`). id `<osm_type>-<id>` (`way-23189490`; OSM ids are unique
 * per element type only). class = the first tag present of landuse, leisure, natural, amenity
 * (looked up at the top level, then in `tags`); Polygon and MultiPolygon are kept (stored as
 * MultiPolygon). Anything else, including a closed LineString, is refused, not repaired.
 */
import { keyedFeatures, propText, readFeatureCollection, type GeoJsonReadOptions, type Geometry } from './geojson-features'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE } from './row-checks'

export const LAND_USE_CLASS_KEYS = ['landuse', 'leisure', 'natural', 'amenity'] as const

export interface LandUseRecord {
  row: number
  id: string
  class: string
  name: string | null
  props: { osmType: string | null; osmId: string; classKey: string; detail?: string; operator?: string; wikidata?: string }
  geometry: Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>
}

/** A tag's value at the top level, else under `tags`; '' when absent. */
function tag(p: Record<string, unknown>, tags: Record<string, unknown>, key: string): string {
  const top = propText(p, key)
  return top !== '' ? top : propText(tags, key)
}

function idOf(p: Record<string, unknown>): { osmType: string | null; osmId: string } | null {
  const at = propText(p, '@id')
  const m = /^(node|way|relation)\/(\d+)$/.exec(at)
  if (m) return { osmType: m[1] as string, osmId: m[2] as string }
  const osmId = propText(p, 'id') || propText(p, 'osm_id') || propText(p, 'osmid')
  if (osmId === '') return null
  const osmType = propText(p, 'osm_type') || propText(p, 'element_type')
  return { osmType: osmType === '' ? null : osmType, osmId }
}

export function readOsmLandUse(file: string, opts: GeoJsonReadOptions = {}): ReadResult<LandUseRecord> {
  const { features, sourceCrs } = readFeatureCollection(file, opts.envelope ?? BOLOGNA_ENVELOPE, opts.crs)
  const log = new ProblemLog()
  const areas = keyedFeatures(features, log, {
    id: (p) => {
      const osm = idOf(p)
      return osm === null ? null : `${osm.osmType ?? 'osm'}-${osm.osmId}`
    },
    noId: 'no OSM id ("id", "osm_id" or "@id")',
    idName: 'id',
    types: ['Polygon', 'MultiPolygon'],
    expected: 'a land-use area is a Polygon or MultiPolygon (not converted)',
  })
  const records: LandUseRecord[] = []
  for (const { row, id, properties: p, geometry } of areas) {
    const tags = typeof p.tags === 'object' && p.tags !== null && !Array.isArray(p.tags) ? (p.tags as Record<string, unknown>) : {}
    const osm = idOf(p) as { osmType: string | null; osmId: string }
    const classKey = LAND_USE_CLASS_KEYS.find((k) => tag(p, tags, k) !== '')
    if (classKey === undefined) {
      log.reject(row, id, `no class (none of ${LAND_USE_CLASS_KEYS.join(', ')})`)
      continue
    }
    const cls = tag(p, tags, classKey)
    const props: LandUseRecord['props'] = { osmType: osm.osmType, osmId: osm.osmId, classKey }
    // OSMnx-style exports put the sub-type in a column named after the class (military=airfield, construction=hospital).
    const detail = propText(p, cls)
    if (detail !== '') props.detail = detail
    const operator = propText(tags, 'operator')
    if (operator !== '') props.operator = operator
    const wikidata = propText(tags, 'wikidata')
    if (wikidata !== '') props.wikidata = wikidata
    const name = tag(p, tags, 'name')
    records.push({ row, id, class: cls, name: name === '' ? null : name, props, geometry })
  }
  return { ...log.result(records, features.length), sourceCrs }
}
