/**
 * The one writer of geometry tables: a dataset's rows are deleted, then all new rows go in with
 * one INSERT … SELECT FROM unnest. PostGIS parses each GeoJSON geometry and checks it
 * (ST_IsValidDetail); an invalid geometry is not inserted and comes back as a problem with
 * PostGIS's reason. Nothing is repaired (no ST_MakeValid). Used for street arcs and areas here and
 * for the city layers in write-city-layers.ts.
 */
import type { Queryable } from '../../../server/src/db/adapter'
import type { AreaRecord } from '../readers/areas'
import type { RowProblem } from '../readers/read-result'
import type { StreetArcRecord } from '../readers/street-arcs'
import type { WriteOutcome } from './write-devices'

export type GeometryTable = 'street_arc' | 'area' | 'street_node' | 'road_edge' | 'road_node' | 'land_use' | 'building'

export interface Column {
  name: string
  /** The PostgreSQL array element type the values are sent as; the INSERT casts to the column type. */
  type: 'text' | 'int' | 'float8' | 'boolean' | 'jsonb'
  values: unknown[]
}

export interface GeometryBatch {
  table: GeometryTable
  dataset: string
  /** Each row's id and its row (line or feature number) in the source file, for the problems. */
  rows: ReadonlyArray<{ row: number; id: string }>
  /** GeoJSON of each row's geometry, in the order of `rows`. */
  geometries: string[]
  /** Store as a Multi* geometry (ST_Multi). */
  multi: boolean
  /** The other columns besides id, dataset and geom; values in the order of `rows`. */
  columns: Column[]
}

/** A row that did not go in: invalid geometry (reason) or id already taken (reason null). */
interface Refused {
  id: string
  reason: string | null
}

/** Replaces the dataset's rows of `b.table` by the batch's; what PostGIS refused comes back per row. */
export async function replaceGeometryRows(tx: Queryable, b: GeometryBatch): Promise<WriteOutcome> {
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
       INSERT INTO ${b.table} (id, ${cols.map((c) => `${c.name}, `).join('')}dataset, geom)
       SELECT id, ${cols.map((c) => `${c.type === 'jsonb' ? `${c.alias}::jsonb` : c.alias}, `).join('')}$${cols.length + 3}, geom FROM src WHERE (d).valid
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

/** The batch's columns from its records: `column(name, type, value of a record)`. */
export function columnsOf<T>(records: readonly T[]) {
  return (name: string, type: Column['type'], value: (r: T) => unknown): Column => ({ name, type, values: records.map(value) })
}

export function replaceStreetArcs(tx: Queryable, dataset: string, arcs: readonly StreetArcRecord[]): Promise<WriteOutcome> {
  const col = columnsOf(arcs)
  return replaceGeometryRows(tx, {
    table: 'street_arc',
    dataset,
    rows: arcs,
    geometries: arcs.map((a) => JSON.stringify(a.geometry)),
    multi: false,
    columns: [col('name', 'text', (a) => a.name), col('props', 'jsonb', (a) => a.props)],
  })
}

export function replaceAreas(tx: Queryable, dataset: string, areas: readonly AreaRecord[]): Promise<WriteOutcome> {
  const col = columnsOf(areas)
  return replaceGeometryRows(tx, {
    table: 'area',
    dataset,
    rows: areas,
    geometries: areas.map((a) => JSON.stringify(a.geometry)),
    multi: false,
    columns: [col('kind', 'text', (a) => a.kind), col('code', 'text', (a) => a.code), col('name', 'text', (a) => a.name), col('props', 'jsonb', (a) => a.props)],
  })
}
