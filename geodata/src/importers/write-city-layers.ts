/**
 * Writes the city layers with their own tables (street_node, road_edge, road_node, land_use,
 * building) the way write-geometries.ts writes areas: the dataset's rows are deleted, then all new
 * rows go in with one INSERT … SELECT FROM unnest. PostGIS parses and checks each geometry
 * (ST_IsValidDetail); an invalid one is not inserted and comes back as a problem with PostGIS's
 * reason. Nothing is repaired (no ST_MakeValid). Polygons are stored as MultiPolygons (ST_Multi).
 */
import type { Queryable } from '../../../server/src/db/adapter'
import type { BuildingRecord } from '../readers/buildings'
import type { LandUseRecord } from '../readers/osm-landuse'
import type { RoadEdgeRecord, RoadNodeRecord } from '../readers/osm-drive-graph'
import type { RowProblem } from '../readers/read-result'
import type { StreetNodeRecord } from '../readers/street-nodes'
import type { WriteOutcome } from './write-devices'

type TableName = 'street_node' | 'road_edge' | 'road_node' | 'land_use' | 'building'

interface Column {
  name: string
  /** The PostgreSQL array element type the values are sent as; the INSERT casts to the column type. */
  type: 'text' | 'int' | 'float8' | 'boolean' | 'jsonb'
  values: unknown[]
}

interface Batch {
  table: TableName
  dataset: string
  rows: ReadonlyArray<{ row: number; id: string }>
  /** GeoJSON of each row's geometry. */
  geometries: string[]
  multi: boolean
  columns: Column[]
}

interface Refused {
  id: string
  reason: string | null
}

async function replaceRows(tx: Queryable, b: Batch): Promise<WriteOutcome> {
  await tx.query(`DELETE FROM ${b.table} WHERE dataset = $1`, [b.dataset])
  if (b.rows.length === 0) return { written: 0, problems: [], rejected: 0 }
  const cols = b.columns.map((c, i) => ({ ...c, alias: `c${i}`, param: i + 3 }))
  const parse = 'ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(u.gj), 4326))'
  const sql = `WITH src AS (
       SELECT u.*, x.geom, ST_IsValidDetail(x.geom) AS d
       FROM unnest($1::text[], $2::text[]${cols.map((c) => `, $${c.param}::${c.type === 'jsonb' ? 'text' : c.type}[]`).join('')})
         AS u(id, gj${cols.map((c) => `, ${c.alias}`).join('')})
       CROSS JOIN LATERAL (SELECT ${b.multi ? `ST_Multi(${parse})` : parse} AS geom) x
     ), ins AS (
       INSERT INTO ${b.table} (id, ${cols.map((c) => c.name).join(', ')}, dataset, geom)
       SELECT id, ${cols.map((c) => (c.type === 'jsonb' ? `${c.alias}::jsonb` : c.alias)).join(', ')}, $${cols.length + 3}, geom FROM src WHERE (d).valid
       ON CONFLICT (id) DO NOTHING
       RETURNING id
     )
     SELECT s.id, CASE WHEN (s.d).valid THEN NULL ELSE (s.d).reason END AS reason
     FROM src s WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = s.id)`
  const params = [b.rows.map((r) => r.id), b.geometries, ...cols.map((c) => (c.type === 'jsonb' ? c.values.map((v) => JSON.stringify(v)) : c.values)), b.dataset]
  const refused = (await tx.query<Refused>(sql, params)).rows
  const rowOf = new Map(b.rows.map((r) => [r.id, r.row]))
  const problems: RowProblem[] = refused.map((r) => ({
    row: rowOf.get(r.id) ?? 0,
    id: r.id,
    problem: r.reason !== null ? `rejected: invalid geometry (PostGIS: ${r.reason})` : `rejected: id ${r.id} is already used by another dataset than ${b.dataset}`,
  }))
  return { written: b.rows.length - refused.length, problems, rejected: refused.length }
}

const point = (p: readonly [number, number]) => JSON.stringify({ type: 'Point', coordinates: p })

export function replaceStreetNodes(tx: Queryable, dataset: string, nodes: readonly StreetNodeRecord[]): Promise<WriteOutcome> {
  return replaceRows(tx, {
    table: 'street_node',
    dataset,
    rows: nodes,
    geometries: nodes.map((n) => point(n.position)),
    multi: false,
    columns: [{ name: 'props', type: 'jsonb', values: nodes.map((n) => n.props) }],
  })
}

export function replaceRoadEdges(tx: Queryable, dataset: string, edges: readonly RoadEdgeRecord[]): Promise<WriteOutcome> {
  const col = (name: string, type: Column['type'], f: (e: RoadEdgeRecord) => unknown): Column => ({ name, type, values: edges.map(f) })
  return replaceRows(tx, {
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
  return replaceRows(tx, {
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
  return replaceRows(tx, {
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
  const col = (name: string, type: Column['type'], f: (b: BuildingRecord) => unknown): Column => ({ name, type, values: buildings.map(f) })
  const prefix = buildingId(dataset, '')
  const out = await replaceRows(tx, {
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
