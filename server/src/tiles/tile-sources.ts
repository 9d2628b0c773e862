/**
 * The tile sources of docs/map-layers.md: for each source layer, the table, the attributes
 * (name → SQL expression over the table, alias `t`), the geometry, and from which zoom it is
 * drawn. The SQL builders (tile-sql.ts) turn these into the one query per tile.
 */

export type FieldType = 'String' | 'Number' | 'Boolean'

export interface TileAttribute {
  name: string
  /** SQL over the row (alias t). Floats are rounded so both encoding paths send the same value. */
  sql: string
  type: FieldType
  description: string
}

export interface TileLayer {
  /** The source-layer name the styles use. */
  id: string
  description: string
  /** FROM clause with alias t, e.g. `road_edge t`. */
  from: string
  /** EPSG:4326 geometry expression over t. */
  geom: string
  /** The GiST-indexed column the tile box filters on. */
  indexed: string
  /** Geometry dimension: 0 points, 1 lines, 2 polygons; 'mixed' when rows differ (junction shape or point). */
  dimension: 0 | 1 | 2 | 'mixed'
  minzoom: number
  /** Extra filter per zoom (SQL over t), or null for none. */
  where?: (z: number) => string | null
  attributes: TileAttribute[]
  /** SQL listing the dataset ids this layer's rows come from (for the attribution). */
  datasets: string
}

export interface TileSource {
  id: string
  title: string
  description: string
  minzoom: number
  maxzoom: number
  layers: TileLayer[]
}

const id = (description = 'Stable id of the feature (use promoteId: "id" in MapLibre)'): TileAttribute => ({ name: 'id', sql: 't.id', type: 'String', description })

/**
 * OSM highway classes by the zoom from which they are drawn; classes not listed (service,
 * track, …) appear from ROAD_OTHER_MINZOOM.
 */
export const ROAD_CLASS_MINZOOM: Record<string, number> = {
  motorway: 0, motorway_link: 10, trunk: 0, trunk_link: 10,
  primary: 10, primary_link: 11, secondary: 11, secondary_link: 12,
  tertiary: 12, tertiary_link: 13,
  residential: 13, unclassified: 13, living_street: 13, road: 13,
}
export const ROAD_OTHER_MINZOOM = 14
/** Street arcs of the Comune stand in for roads where no OSM drive graph is imported. */
export const FALLBACK_ROAD_MINZOOM = 13

const classesFrom = (z: number) =>
  Object.entries(ROAD_CLASS_MINZOOM)
    .filter(([, min]) => min <= z)
    .map(([c]) => `'${c}'`)

const roadWhere = (z: number): string | null => {
  if (z >= ROAD_OTHER_MINZOOM) return null
  const cls = classesFrom(z)
  return cls.length ? `t.road_class IN (${cls.join(', ')})` : 'false'
}

/** Area kinds by the zoom from which they are drawn. */
export const AREA_KIND_MINZOOM: Record<string, number> = { quartiere: 0, zona: 11, ztl: 12, area_statistica: 13 }
const areaWhere = (z: number): string | null => {
  const kinds = Object.entries(AREA_KIND_MINZOOM).filter(([, min]) => min <= z).map(([k]) => `'${k}'`)
  return z >= 13 ? null : `t.kind IN (${kinds.join(', ')})`
}

const BASE: TileSource = {
  id: 'base',
  title: 'Base map',
  description: 'Roads by class, street names, districts and zones, land use, buildings',
  minzoom: 0,
  maxzoom: 16,
  layers: [
    {
      id: 'land_use',
      description: 'Land use polygons (OSM landuse/leisure/natural)',
      from: 'land_use t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 2,
      minzoom: 12,
      attributes: [id(), { name: 'class', sql: 't.class', type: 'String', description: 'OSM value: residential, park, …' }, { name: 'name', sql: 't.name', type: 'String', description: 'Name, when it has one' }],
      datasets: 'SELECT DISTINCT dataset FROM land_use',
    },
    {
      id: 'areas',
      description: 'Districts (quartieri), zones, statistical areas and ZTL zones',
      from: 'area t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 2,
      minzoom: 0,
      where: areaWhere,
      attributes: [
        id(),
        { name: 'kind', sql: 't.kind', type: 'String', description: 'quartiere, zona, area_statistica or ztl' },
        { name: 'code', sql: 't.code', type: 'String', description: 'Official code' },
        { name: 'name', sql: 't.name', type: 'String', description: 'Official name' },
      ],
      datasets: 'SELECT DISTINCT dataset FROM area',
    },
    {
      id: 'roads',
      description: 'Roads by OSM highway class (the Comune street arcs as "unclassified" where no OSM drive graph is imported)',
      from: 'road_edge t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 1,
      minzoom: 0,
      where: roadWhere,
      attributes: [
        id(),
        { name: 'name', sql: 't.name', type: 'String', description: 'Street name' },
        { name: 'class', sql: 't.road_class', type: 'String', description: 'OSM highway class: motorway … service' },
        { name: 'lanes', sql: 't.lanes::int', type: 'Number', description: 'Number of lanes, when known' },
        { name: 'oneway', sql: 't.oneway', type: 'Boolean', description: 'One-way street' },
      ],
      datasets: 'SELECT DISTINCT dataset FROM road_edge',
    },
    {
      id: 'roads',
      description: 'Fallback rows of the roads layer',
      from: 'street_arc t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 1,
      minzoom: FALLBACK_ROAD_MINZOOM,
      where: () => 'NOT EXISTS (SELECT 1 FROM road_edge)',
      attributes: [
        id(),
        { name: 'name', sql: 't.name', type: 'String', description: 'Street name' },
        { name: 'class', sql: "'unclassified'::text", type: 'String', description: 'OSM highway class' },
        { name: 'lanes', sql: 'NULL::int', type: 'Number', description: 'Number of lanes' },
        { name: 'oneway', sql: 'false', type: 'Boolean', description: 'One-way street' },
      ],
      datasets: 'SELECT DISTINCT dataset FROM street_arc WHERE NOT EXISTS (SELECT 1 FROM road_edge)',
    },
    {
      id: 'streets',
      description: 'The Comune street graph (stradario) with official street names, for labels',
      from: 'street_arc t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 1,
      minzoom: 13,
      attributes: [
        id('Codice arco of the Comune'),
        { name: 'name', sql: 't.name', type: 'String', description: 'Official street name' },
        { name: 'codvia', sql: "t.props->>'codvia'", type: 'String', description: 'Codice via of the Comune' },
      ],
      datasets: 'SELECT DISTINCT dataset FROM street_arc',
    },
    {
      id: 'buildings',
      description: 'Building footprints with heights (metres above ground)',
      from: 'building t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 2,
      minzoom: 14,
      attributes: [
        id(),
        { name: 'height', sql: 'round(t.height_m::numeric, 1)::float8', type: 'Number', description: 'Height above ground, m' },
        { name: 'base', sql: 'round(t.base_m::numeric, 1)::float8', type: 'Number', description: 'Height of the base above ground, m' },
        { name: 'estimated', sql: 't.height_estimated', type: 'Boolean', description: 'Height estimated by the documented rule, not measured' },
      ],
      datasets: 'SELECT DISTINCT dataset FROM building',
    },
  ],
}

const NETWORK: TileSource = {
  id: 'network',
  title: 'Traffic network',
  description: 'SUMO lanes, junctions and detectors; signalised junctions',
  minzoom: 12,
  maxzoom: 16,
  layers: [
    {
      id: 'sumo_lanes',
      description: 'Lanes of the SUMO networks with their real geometry',
      from: 'sumo_lane t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 1,
      minzoom: 15,
      attributes: [
        id('SUMO lane id (unique within its network)'),
        { name: 'edge', sql: 't.edge_id', type: 'String', description: 'SUMO edge id' },
        { name: 'network', sql: 't.network_id', type: 'String', description: 'SUMO network (dataset id)' },
        { name: 'speed', sql: 'round(t.speed_ms::numeric, 2)::float8', type: 'Number', description: 'Speed limit, m/s' },
        { name: 'allow', sql: 't.allow', type: 'String', description: 'Allowed vehicle classes, when restricted' },
      ],
      datasets: 'SELECT DISTINCT dataset FROM sumo_network',
    },
    {
      id: 'sumo_junctions',
      description: 'SUMO junctions: the shape polygon when the network has one, else the point',
      from: 'sumo_junction t',
      geom: 'COALESCE(t.shape, t.geom)',
      indexed: 't.geom',
      dimension: 'mixed',
      minzoom: 15,
      attributes: [
        id('SUMO junction id (unique within its network)'),
        { name: 'type', sql: 't.junction_type', type: 'String', description: 'SUMO junction type: traffic_light, priority, …' },
        { name: 'network', sql: 't.network_id', type: 'String', description: 'SUMO network (dataset id)' },
      ],
      datasets: 'SELECT DISTINCT dataset FROM sumo_network',
    },
    {
      id: 'sumo_detectors',
      description: 'SUMO e1 induction loops placed along their lanes',
      from: 'sumo_detector t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 0,
      minzoom: 15,
      attributes: [
        id('SUMO detector id'),
        { name: 'network', sql: 't.network_id', type: 'String', description: 'SUMO network (dataset id)' },
        { name: 'loop_code', sql: 't.loop_code', type: 'String', description: 'Open-data codice spira the id encodes' },
        { name: 'device_id', sql: 't.device_id', type: 'String', description: 'The loop device it matched, if any' },
      ],
      datasets: 'SELECT DISTINCT dataset FROM sumo_network',
    },
    {
      id: 'signals',
      description: 'Signal controllers (signalised junctions)',
      from: 'device t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 0,
      minzoom: 12,
      where: () => "t.kind = 'signal-controller'",
      attributes: [
        id('Device id'),
        { name: 'name', sql: 't.name', type: 'String', description: 'Name' },
        { name: 'intersection_code', sql: "t.props->>'intersectionCode'", type: 'String', description: 'Bologna intersection code, e.g. 2.09' },
      ],
      datasets: "SELECT DISTINCT dataset FROM device WHERE kind = 'signal-controller' AND dataset IS NOT NULL",
    },
  ],
}

const ASSETS: TileSource = {
  id: 'assets',
  title: 'Field devices',
  description: 'Every device on the map: loops, gates, counters, stations, controllers',
  minzoom: 10,
  maxzoom: 16,
  layers: [
    {
      id: 'devices',
      description: 'Field devices (their live state comes over Socket.IO, not in tiles)',
      from: 'device t',
      geom: 't.geom',
      indexed: 't.geom',
      dimension: 0,
      minzoom: 10,
      attributes: [
        id('Device id'),
        { name: 'kind', sql: 't.kind', type: 'String', description: 'Device kind: traffic-loop, ztl-gate, …' },
        { name: 'name', sql: 't.name', type: 'String', description: 'Name' },
      ],
      datasets: 'SELECT DISTINCT dataset FROM device WHERE dataset IS NOT NULL',
    },
  ],
}

export const TILE_SOURCES: readonly TileSource[] = [BASE, NETWORK, ASSETS]

export function tileSource(id: string): TileSource | undefined {
  return TILE_SOURCES.find((s) => s.id === id)
}

/** The layers of a source drawn at zoom z (a source layer may have several table parts). */
export function layersAt(source: TileSource, z: number): TileLayer[] {
  return source.layers.filter((l) => l.minzoom <= z)
}

/** One entry per source-layer name (merging the table parts), for TileJSON vector_layers. */
export function vectorLayers(source: TileSource): Array<{ id: string; description: string; minzoom: number; maxzoom: number; fields: Record<string, string> }> {
  const byId = new Map<string, { id: string; description: string; minzoom: number; maxzoom: number; fields: Record<string, string> }>()
  for (const l of source.layers) {
    const existing = byId.get(l.id)
    if (existing) {
      existing.minzoom = Math.min(existing.minzoom, l.minzoom)
      continue
    }
    byId.set(l.id, { id: l.id, description: l.description, minzoom: l.minzoom, maxzoom: source.maxzoom, fields: Object.fromEntries(l.attributes.map((a) => [a.name, `${a.description} (${a.type})`])) })
  }
  return [...byId.values()]
}
