/**
 * Where each row of a loaded dataset falls (docs/dashboards.md "Loading a dataset"):
 *   - by column: the cell is matched to an area's code or name at the declared level, case, accents,
 *     spaces and punctuation ignored ("Santo Stefano", "SANTO STEFANO", "santo-stefano", its code
 *     "15"; codes also without leading zeros). The row counts at that level only.
 *   - by point: the GeoJSON geometry (a polygon or line by its ST_PointOnSurface) or the CSV's lon/lat
 *     columns, placed with ST_Contains at both levels in one set-based statement per chunk of rows
 *     (server/src/db/dashboard-datasets.ts areasContainingPoints). A point in a statistical area
 *     counts in that area's district even when it falls just outside the district's own outline (the
 *     two layers' borders differ by metres), so every level adds up.
 * A row placed nowhere is unplaced, with the reason: it still counts in the city's totals.
 */
import type { AreaLevel } from '../../../../contracts/theme-dashboard-api'
import type { DatasetLoad } from '../../../../contracts/theme-dashboard-api'
import type { Db } from '../../db/adapter'
import { areasOf } from '../../db/dashboard-areas'
import { areasContainingPoints, type PointsToPlace } from '../../db/dashboard-datasets'
import { quoteCell, type DatasetFile } from './dataset-file'
import { readNumberCell } from './number-cell'

export interface RowPlace {
  quartiere: string | null
  area_statistica: string | null
}

export interface Placement {
  /** Per row (file order): its area id at each level, or null (unplaced) with the reason in `reasons`. */
  places: Array<RowPlace | null>
  reasons: Map<number, string>
}

/** Lower case, without accents, spaces or punctuation; a number without leading zeros. */
export function areaKey(text: string): string {
  const k = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]/g, '')
  return /^\d+$/.test(k) ? k.replace(/^0+(?=\d)/, '') : k
}

export async function placeRows(q: Db, load: DatasetLoad, file: DatasetFile): Promise<Placement> {
  return load.area.by === 'column' ? placeByColumn(q, load.area.column, load.area.level, file) : placeByPoint(q, load.area, file)
}

async function placeByColumn(q: Db, column: string, level: AreaLevel, file: DatasetFile): Promise<Placement> {
  const byKey = new Map<string, string>()
  const areas = await areasOf(q, level)
  // Names first, codes after: a code wins over a name that happens to spell it.
  for (const a of areas) byKey.set(areaKey(a.name), a.id)
  for (const a of areas) byKey.set(areaKey(a.code), a.id)
  const levelName = level === 'quartiere' ? 'district (quartiere)' : 'statistical area'
  const reasons = new Map<number, string>()
  const places = file.rows.map((r, i): RowPlace | null => {
    const cell = r.cells[column]
    const text = cell === null || cell === undefined ? '' : String(cell)
    const id = text.trim() === '' ? undefined : byKey.get(areaKey(text))
    if (id !== undefined) return { quartiere: level === 'quartiere' ? id : null, area_statistica: level === 'area_statistica' ? id : null }
    reasons.set(i, text.trim() === '' ? `the column "${column}" is empty` : `no ${levelName} has the code or name ${quoteCell(text)}`)
    return null
  })
  return { places, reasons }
}

async function placeByPoint(q: Db, area: { lonColumn?: string | undefined; latColumn?: string | undefined }, file: DatasetFile): Promise<Placement> {
  const reasons = new Map<number, string>()
  const input: PointsToPlace = { rows: [], lons: [], lats: [], shapes: [] }
  file.rows.forEach((r, i) => {
    if (area.lonColumn !== undefined && area.latColumn !== undefined) {
      const lon = readNumberCell(r.cells[area.lonColumn])
      const lat = readNumberCell(r.cells[area.latColumn])
      if (lon.kind === 'empty' || lat.kind === 'empty') return reasons.set(i, `no position: "${area.lonColumn}" or "${area.latColumn}" is empty`)
      if (lon.kind !== 'number' || lat.kind !== 'number') return reasons.set(i, `the position ${quoteCell(r.cells[area.lonColumn])}, ${quoteCell(r.cells[area.latColumn])} is not two numbers`)
      if (Math.abs(lon.value) > 180 || Math.abs(lat.value) > 90) return reasons.set(i, `the position ${lon.value}, ${lat.value} is not longitude, latitude in degrees`)
      input.rows.push(i)
      input.lons.push(lon.value)
      input.lats.push(lat.value)
      input.shapes.push(null)
      return
    }
    const g = r.geometry
    if (g === null) return reasons.set(i, 'the feature has no geometry')
    input.rows.push(i)
    if (g.type === 'Point') {
      input.lons.push(g.coordinates[0]!)
      input.lats.push(g.coordinates[1]!)
      input.shapes.push(null)
    } else {
      input.lons.push(null)
      input.lats.push(null)
      input.shapes.push(JSON.stringify(g))
    }
  })

  const places: Array<RowPlace | null> = file.rows.map(() => null)
  for (const [i, at] of await areasContainingPoints(q, input)) places[i] = { quartiere: at.quartiere, area_statistica: at.area_statistica }
  for (const i of input.rows) if (places[i] === null) reasons.set(i, 'it lies outside every district and statistical area of the city')
  return { places, reasons }
}
