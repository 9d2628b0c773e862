/**
 * Geometry checks of the census (ADR 0008, reliability-security.md §3.2): before a feature is
 * written, its geometry — received in some CRS, already in E-N axis order — is checked in PostGIS and
 * transformed to the storage CRS. Each refusal is a CensusError with the reason a GIS person can act
 * on: the wrong type (and whether the collection would take it as Multi), PostGIS's ST_IsValidReason,
 * 3D coordinates, too many vertices, or a position outside the comune (with a hint when swapping the
 * axes would put it inside — the classic lat/lon swap). Nothing is repaired silently; the repair
 * preview returns ST_MakeValid's result and its type for a person to confirm.
 */
import { CENSUS_STORAGE_SRID, type CensusGeometryType } from '../../../contracts/schemas/census'
import type { Queryable } from './adapter'
import { CensusError } from './census-error'

export const MAX_VERTICES = 100_000

export interface GeometryInput {
  /** GeoJSON geometry, x = easting/longitude (toCrsAxisOrder already applied). */
  geometry: { type: string; coordinates?: unknown }
  srid: number
}

/** The SQL expression of an input geometry in the storage CRS, from two parameters ($g GeoJSON text, $s SRID). */
export const storageGeometrySql = (g: string, s: string) => `ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${g}), ${s}::int), ${CENSUS_STORAGE_SRID})`

interface CheckRow {
  type: string
  valid: boolean
  reason: string
  inside: boolean | null
  swapped_inside: boolean | null
  npoints: number
  has_z: boolean
  empty: boolean
  transform_failed: boolean
}

/** Checks a geometry for a collection of `expected` type; returns the GeoJSON text to store with its SRID. */
export async function checkGeometry(q: Queryable, input: GeometryInput, expected: CensusGeometryType, field = 'geometry'): Promise<void> {
  const g = input.geometry
  if (!g || typeof g !== 'object' || typeof g.type !== 'string') throw new CensusError('INVALID_GEOMETRY', 'The feature has no geometry: every census asset has a position', field)
  if (g.type !== expected) {
    const multi = g.type === `Multi${expected}`
    throw new CensusError(
      'INVALID_GEOMETRY',
      multi
        ? `This collection takes a ${expected}, not a ${g.type}: a geometry type change is refused (split the parts into separate features)`
        : `This collection takes a ${expected}; the geometry is a ${g.type}`,
      field,
    )
  }
  const vertices = countPositions(g.coordinates)
  if (vertices > MAX_VERTICES) throw new CensusError('INVALID_GEOMETRY', `The geometry has ${vertices} vertices; at most ${MAX_VERTICES} are accepted`, field)
  let row: CheckRow | undefined
  try {
    const r = await q.query<CheckRow>(
      `WITH i AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), $2::int) AS g),
            e AS (SELECT envelope FROM census_extent WHERE id = 'default')
       SELECT GeometryType(i.g) AS type, ST_IsValid(i.g) AS valid, ST_IsValidReason(i.g) AS reason,
              ST_NPoints(i.g) AS npoints, ST_Zmflag(i.g) <> 0 AS has_z, ST_IsEmpty(i.g) AS empty,
              (SELECT ST_CoveredBy(ST_Transform(i.g, ${CENSUS_STORAGE_SRID}), e.envelope) FROM e) AS inside,
              (SELECT ST_CoveredBy(ST_Transform(ST_FlipCoordinates(i.g), ${CENSUS_STORAGE_SRID}), e.envelope) FROM e) AS swapped_inside,
              false AS transform_failed
       FROM i`,
      [JSON.stringify(g), input.srid],
    )
    row = r.rows[0]
  } catch (err) {
    throw new CensusError('INVALID_GEOMETRY', `PostGIS cannot read the geometry: ${pgMessage(err)}`, field)
  }
  if (!row) throw new CensusError('INVALID_GEOMETRY', 'PostGIS cannot read the geometry', field)
  if (row.empty) throw new CensusError('INVALID_GEOMETRY', 'The geometry is empty', field)
  if (row.has_z) throw new CensusError('INVALID_GEOMETRY', 'The geometry has 3D coordinates; the census stores 2D positions (drop the Z values)', field)
  if (!row.valid) throw new CensusError('INVALID_GEOMETRY', `The geometry is invalid: ${row.reason} (use the repair preview to see a valid version)`, field)
  if (row.inside === null) throw new CensusError('INVALID_GEOMETRY', 'The census extent is not set: import the city first', field)
  if (!row.inside) {
    const hint = row.swapped_inside ? ' — with the axes swapped it would be inside: the coordinates look like latitude, longitude sent as longitude, latitude (or the other way round); check the CRS and its axis order' : ''
    throw new CensusError('INVALID_GEOMETRY', `The geometry lies outside the comune (its extent + 1 km)${hint}`, field)
  }
}

function countPositions(c: unknown): number {
  if (!Array.isArray(c)) return 0
  if (typeof c[0] === 'number') return 1
  let n = 0
  for (const x of c) n += countPositions(x)
  return n
}

export function pgMessage(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err)
  return m.replace(/^error: /i, '').slice(0, 300)
}

export interface RepairPreview {
  valid: boolean
  reason: string
  /** The repaired geometry (GeoJSON, in the input's CRS and axis order as given) and its type. */
  repaired: { type: string; coordinates?: unknown } | null
  repairedType: string | null
  /** Whether the collection would accept the repaired geometry as it is. */
  acceptable: boolean
  message: string
}

/** What ST_MakeValid would make of a geometry, for a person to confirm (never applied by itself). */
export async function repairPreview(q: Queryable, input: GeometryInput, expected: CensusGeometryType): Promise<RepairPreview> {
  const r = await q.query<{ valid: boolean; reason: string; repaired: string; type: string }>(
    `WITH i AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), $2::int) AS g)
     SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ST_AsGeoJSON(ST_MakeValid(g), 15, 0) AS repaired,
            ST_GeometryType(ST_MakeValid(g)) AS type FROM i`,
    [JSON.stringify(input.geometry), input.srid],
  )
  const row = r.rows[0]!
  const type = row.type.replace(/^ST_/, '')
  const repaired = JSON.parse(row.repaired) as { type: string; coordinates?: unknown }
  if (row.valid) return { valid: true, reason: row.reason, repaired, repairedType: type, acceptable: type === expected, message: 'The geometry is valid; nothing to repair' }
  const acceptable = type === expected
  return {
    valid: false,
    reason: row.reason,
    repaired,
    repairedType: type,
    acceptable,
    message: acceptable
      ? `Repaired as a ${type}; review it and send it to save`
      : `Repairing turns the ${expected} into a ${type}, which this collection does not take (a type change): fix the geometry by hand`,
  }
}
