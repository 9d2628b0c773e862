/**
 * Reads the OpenStreetMap drive graph as OSMnx exports it (`bologna_osm_drive_edges.geojson`,
 * `bologna_osm_drive_nodes.geojson`).
 *
 * Edges: id `<u>-<v>-<key>` (OSMnx's own edge key, unique in the graph; `way-<osmid>` for a file
 * without u/v), from/to = the `from`/`to` nodes, which are the ends of the drawn line in drawing
 * order (`u`/`v` are not: OSMnx may store them the other way round). Tag rules are in osm-tags.ts.
 * Nodes: id = `osmid`; `traffic_signals` when the node's highway tag says so.
 */
import type { LonLat } from '../../../contracts/schemas/device'
import { keyedFeatures, propNumber, propText, readFeatureCollection, type GeoJsonReadOptions, type Geometry, type KeyedFeature } from './geojson-features'
import { mostImportantHighway, osmValues, parseLanes, parseMaxspeedKmh, parseOneway } from './osm-tags'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE } from './row-checks'

export interface RoadEdgeRecord {
  row: number
  id: string
  osmId: string | null
  fromNode: string | null
  toNode: string | null
  name: string | null
  /** OSM highway class; for a list, the most important one. */
  roadClass: string
  lanes: number | null
  maxspeedKmh: number | null
  oneway: boolean
  lengthM: number | null
  props: Record<string, unknown>
  geometry: Extract<Geometry, { type: 'LineString' }>
}

export interface RoadNodeRecord {
  row: number
  id: string
  trafficSignals: boolean
  position: LonLat
  props: { streetCount: number | null; highway: string | null; ref: string | null }
}

/** Single-valued tags kept in props as they are, under a camelCase name, when not blank. */
const EDGE_TAGS: ReadonlyArray<[string, string]> = [
  ['ref', 'ref'],
  ['bridge', 'bridge'],
  ['tunnel', 'tunnel'],
  ['junction', 'junction'],
  ['access', 'access'],
  ['width', 'width'],
  ['service', 'service'],
]

/** An integer id as text: OSMnx writes numbers, other exports strings. */
function idText(p: Record<string, unknown>, key: string): string {
  const v = p[key]
  return typeof v === 'number' && Number.isInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : ''
}

function edgeId(p: Record<string, unknown>, osmIds: string[]): string | null {
  const u = idText(p, 'u')
  const v = idText(p, 'v')
  if (u !== '' && v !== '') return `${u}-${v}-${idText(p, 'key') || '0'}`
  const first = osmIds[0]
  return first !== undefined ? `way-${first}` : null
}

export function readOsmDriveEdges(file: string, opts: GeoJsonReadOptions = {}): ReadResult<RoadEdgeRecord> {
  const { features, sourceCrs } = readFeatureCollection(file, opts.envelope ?? BOLOGNA_ENVELOPE, opts.crs)
  const log = new ProblemLog()
  const edges = keyedFeatures(features, log, {
    id: (p) => edgeId(p, osmValues(p.osmid ?? p.osm_id)),
    noId: 'no edge id (u, v, key) and no osmid',
    idName: 'edge id',
    types: ['LineString'],
    expected: 'a road edge is a LineString',
  })
  const records: RoadEdgeRecord[] = []
  for (const f of edges) {
    const r = toEdge(f, log)
    if (r) records.push(r)
  }
  return { ...log.result(records, features.length), sourceCrs }
}

function toEdge(f: KeyedFeature<'LineString'>, log: ProblemLog): RoadEdgeRecord | null {
  const { id, properties: p } = f
  const osmIds = osmValues(p.osmid ?? p.osm_id)
  const classes = osmValues(p.highway)
  const roadClass = mostImportantHighway(classes)
  if (roadClass === null) {
    log.reject(f.row, id, 'no road class ("highway")')
    return null
  }
  const props: Record<string, unknown> = {}
  if (classes.length > 1) {
    props.highwayValues = classes
    log.note(f.row, id, `highway is a list (${classes.join(', ')}); class ${roadClass}, the most important`)
  }
  const lanes = parseLanes(p.lanes)
  const maxspeed = parseMaxspeedKmh(p.maxspeed)
  const laneValues = osmValues(p.lanes)
  const speedValues = osmValues(p.maxspeed)
  if (laneValues.length > 1 || lanes.ignored.length > 0) props.lanesValues = laneValues
  if (speedValues.length > 1 || maxspeed.ignored.length > 0) props.maxspeedValues = speedValues
  if (lanes.ignored.length > 0) log.note(f.row, id, `lanes ${lanes.ignored.map((t) => `"${t}"`).join(', ')} not a whole number 1–20; ignored`)
  if (maxspeed.ignored.length > 0) log.note(f.row, id, `maxspeed ${maxspeed.ignored.map((t) => `"${t}"`).join(', ')} has no speed; ignored`)
  const names = osmValues(p.name)
  if (names.length > 1) props.names = names
  if (osmIds.length > 1) props.osmIds = osmIds
  for (const [key, as] of EDGE_TAGS) {
    const values = osmValues(p[key])
    if (values.length > 0) props[as] = values.length === 1 ? values[0] : values
  }
  const from = idText(p, 'from') || idText(p, 'u')
  const to = idText(p, 'to') || idText(p, 'v')
  return {
    row: f.row,
    id,
    osmId: osmIds[0] ?? null,
    fromNode: from === '' ? null : from,
    toNode: to === '' ? null : to,
    name: names[0] ?? null,
    roadClass,
    lanes: lanes.lanes,
    maxspeedKmh: maxspeed.kmh,
    oneway: parseOneway(p.oneway),
    lengthM: propNumber(p, 'length'),
    props,
    geometry: f.geometry,
  }
}

export function readOsmDriveNodes(file: string, opts: GeoJsonReadOptions = {}): ReadResult<RoadNodeRecord> {
  const { features, sourceCrs } = readFeatureCollection(file, opts.envelope ?? BOLOGNA_ENVELOPE, opts.crs)
  const log = new ProblemLog()
  const nodes = keyedFeatures(features, log, {
    id: (p) => idText(p, 'osmid') || idText(p, 'osm_id') || idText(p, 'id'),
    noId: 'no node id ("osmid")',
    idName: 'osmid',
    types: ['Point'],
    expected: 'a road node is a Point',
  })
  const records = nodes.map(({ row, id, properties: p, geometry }): RoadNodeRecord => {
    const highway = osmValues(p.highway)
    const ref = propText(p, 'ref')
    return {
      row,
      id,
      trafficSignals: highway.includes('traffic_signals'),
      position: [geometry.coordinates[0] as number, geometry.coordinates[1] as number],
      props: { streetCount: propNumber(p, 'street_count'), highway: highway.length > 0 ? highway.join(';') : null, ref: ref === '' ? null : ref },
    }
  })
  return { ...log.result(records, features.length), sourceCrs }
}
