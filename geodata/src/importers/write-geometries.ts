/**
 * Writes one dataset's street arcs or areas: the dataset's rows are deleted, then all new rows go
 * in with one INSERT … SELECT FROM unnest. PostGIS parses each GeoJSON geometry and checks it
 * (ST_IsValidDetail); an invalid geometry is not inserted and comes back as a problem with
 * PostGIS's reason. Nothing is repaired (no ST_MakeValid).
 */
import type { Queryable } from '../../../server/src/db/adapter'
import type { AreaRecord } from '../readers/areas'
import type { RowProblem } from '../readers/read-result'
import type { StreetArcRecord } from '../readers/street-arcs'
import type { WriteOutcome } from './write-devices'

/** A row that did not go in: invalid geometry (reason) or id already taken (reason null). */
interface Refused {
  id: string
  reason: string | null
}

function outcome(rows: ReadonlyArray<{ row: number; id: string }>, refused: Refused[], dataset: string): WriteOutcome {
  const rowOf = new Map(rows.map((r) => [r.id, r.row]))
  const problems: RowProblem[] = refused.map((r) => ({
    row: rowOf.get(r.id) ?? 0,
    id: r.id,
    problem: r.reason !== null ? `rejected: invalid geometry (PostGIS: ${r.reason})` : `rejected: id ${r.id} is already used by another dataset than ${dataset}`,
  }))
  return { written: rows.length - refused.length, problems, rejected: refused.length }
}

export async function replaceStreetArcs(tx: Queryable, dataset: string, arcs: readonly StreetArcRecord[]): Promise<WriteOutcome> {
  await tx.query('DELETE FROM street_arc WHERE dataset = $1', [dataset])
  if (arcs.length === 0) return { written: 0, problems: [], rejected: 0 }
  const r = await tx.query<Refused>(
    `WITH src AS (
       SELECT u.id, u.n, u.p, g.geom, ST_IsValidDetail(g.geom) AS d
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, n, p, g)
       CROSS JOIN LATERAL (SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326)) AS geom) g
     ), ins AS (
       INSERT INTO street_arc (id, name, props, dataset, geom)
       SELECT id, n, p::jsonb, $5, geom FROM src WHERE (d).valid
       ON CONFLICT (id) DO NOTHING
       RETURNING id
     )
     SELECT s.id, CASE WHEN (s.d).valid THEN NULL ELSE (s.d).reason END AS reason
     FROM src s WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = s.id)`,
    [arcs.map((a) => a.id), arcs.map((a) => a.name), arcs.map((a) => JSON.stringify(a.props)), arcs.map((a) => JSON.stringify(a.geometry)), dataset],
  )
  return outcome(arcs, r.rows, dataset)
}

export async function replaceAreas(tx: Queryable, dataset: string, areas: readonly AreaRecord[]): Promise<WriteOutcome> {
  await tx.query('DELETE FROM area WHERE dataset = $1', [dataset])
  if (areas.length === 0) return { written: 0, problems: [], rejected: 0 }
  const r = await tx.query<Refused>(
    `WITH src AS (
       SELECT u.id, u.k, u.c, u.n, u.p, g.geom, ST_IsValidDetail(g.geom) AS d
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, k, c, n, p, g)
       CROSS JOIN LATERAL (SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326)) AS geom) g
     ), ins AS (
       INSERT INTO area (id, kind, code, name, props, dataset, geom)
       SELECT id, k, c, n, p::jsonb, $7, geom FROM src WHERE (d).valid
       ON CONFLICT (id) DO NOTHING
       RETURNING id
     )
     SELECT s.id, CASE WHEN (s.d).valid THEN NULL ELSE (s.d).reason END AS reason
     FROM src s WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = s.id)`,
    [
      areas.map((a) => a.id),
      areas.map((a) => a.kind),
      areas.map((a) => a.code),
      areas.map((a) => a.name),
      areas.map((a) => JSON.stringify(a.props)),
      areas.map((a) => JSON.stringify(a.geometry)),
      dataset,
    ],
  )
  return outcome(areas, r.rows, dataset)
}
