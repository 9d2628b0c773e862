/**
 * Writes the city layers with their own tables (street_node, road_edge, road_node, land_use,
 * building) with the geometry writer of write-geometries.ts: the dataset's rows are replaced in one
 * statement, PostGIS checks each geometry and an invalid one comes back as a problem with PostGIS's
 * reason, never repaired. Land-use and building polygons are stored as MultiPolygons (ST_Multi).
 */
import type { Queryable } from '../../../server/src/db/adapter'
import type { BuildingRecord } from '../readers/buildings'
import type { LandUseRecord } from '../readers/osm-landuse'
import type { RoadEdgeRecord, RoadNodeRecord } from '../readers/osm-drive-graph'
import type { StreetNodeRecord } from '../readers/street-nodes'
import type { WriteOutcome } from './write-devices'
import { columnsOf, replaceGeometryRows } from './write-geometries'

const point = (p: readonly [number, number]) => JSON.stringify({ type: 'Point', coordinates: p })

export function replaceStreetNodes(tx: Queryable, dataset: string, nodes: readonly StreetNodeRecord[]): Promise<WriteOutcome> {
  return replaceGeometryRows(tx, {
    table: 'street_node',
    dataset,
    rows: nodes,
    geometries: nodes.map((n) => point(n.position)),
    multi: false,
    columns: [{ name: 'props', type: 'jsonb', values: nodes.map((n) => n.props) }],
  })
}

export function replaceRoadEdges(tx: Queryable, dataset: string, edges: readonly RoadEdgeRecord[]): Promise<WriteOutcome> {
  const col = columnsOf(edges)
  return replaceGeometryRows(tx, {
    table: 'road_edge',
    dataset,
    rows: edges,
    geometries: edges.map((e) => JSON.stringify(e.geometry)),
    multi: false,
    columns: [
      col('osm_id', 'text', (e) => e.osmId),
      col('from_node', 'text', (e) => e.fromNode),
      col('to_node', 'text', (e) => e.toNode),
      col('name', 'text', (e) => e.name),
      col('road_class', 'text', (e) => e.roadClass),
      col('lanes', 'int', (e) => e.lanes),
      col('maxspeed_kmh', 'float8', (e) => e.maxspeedKmh),
      col('oneway', 'boolean', (e) => e.oneway),
      col('length_m', 'float8', (e) => e.lengthM),
      col('props', 'jsonb', (e) => e.props),
    ],
  })
}

export function replaceRoadNodes(tx: Queryable, dataset: string, nodes: readonly RoadNodeRecord[]): Promise<WriteOutcome> {
  return replaceGeometryRows(tx, {
    table: 'road_node',
    dataset,
    rows: nodes,
    geometries: nodes.map((n) => point(n.position)),
    multi: false,
    columns: [
      { name: 'traffic_signals', type: 'boolean', values: nodes.map((n) => n.trafficSignals) },
      { name: 'props', type: 'jsonb', values: nodes.map((n) => n.props) },
    ],
  })
}

export function replaceLandUse(tx: Queryable, dataset: string, areas: readonly LandUseRecord[]): Promise<WriteOutcome> {
  return replaceGeometryRows(tx, {
    table: 'land_use',
    dataset,
    rows: areas,
    geometries: areas.map((a) => JSON.stringify(a.geometry)),
    multi: true,
    columns: [
      { name: 'class', type: 'text', values: areas.map((a) => a.class) },
      { name: 'name', type: 'text', values: areas.map((a) => a.name) },
      { name: 'props', type: 'jsonb', values: areas.map((a) => a.props) },
    ],
  })
}

/** Building ids are `<dataset>-<source id>`: source ids (Milan's `cat`) are only unique within their file. */
export function buildingId(dataset: string, localId: string): string {
  return `${dataset}-${localId}`
}

export async function replaceBuildings(tx: Queryable, dataset: string, buildings: readonly BuildingRecord[]): Promise<WriteOutcome> {
  const col = columnsOf(buildings)
  const prefix = buildingId(dataset, '')
  const out = await replaceGeometryRows(tx, {
    table: 'building',
    dataset,
    rows: buildings.map((b) => ({ row: b.row, id: buildingId(dataset, b.localId) })),
    geometries: buildings.map((b) => JSON.stringify(b.geometry)),
    multi: true,
    columns: [
      col('name', 'text', (b) => b.name),
      col('height_m', 'float8', (b) => b.heightM),
      col('base_m', 'float8', (b) => b.baseM),
      col('height_estimated', 'boolean', (b) => b.heightEstimated),
      col('height_source', 'text', (b) => b.heightSource),
      col('props', 'jsonb', (b) => b.props),
    ],
  })
  // Problems name the source's id, as the reader's do: that is what an operator finds in the file.
  return { ...out, problems: out.problems.map((p) => (p.id?.startsWith(prefix) ? { ...p, id: p.id.slice(prefix.length) } : p)) }
}
