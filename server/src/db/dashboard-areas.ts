/**
 * The areas choropleths are drawn on (contracts/theme-dashboard-api.ts AREA_LEVELS): districts
 * (quartieri) and statistical areas, simplified to ≈ 5 m for drawing, and the lookups the themes
 * share to place points in them; and where areas and devices came from (their import records), for
 * the dashboards' sources.
 */
import type { AreaLevel, AreaRow } from '../../../contracts/theme-dashboard-api'
import type { Queryable } from './adapter'

export interface AreaRef {
  id: string
  code: string
  name: string
}

/** Every area of a level, by name. */
export async function areasOf(q: Queryable, level: AreaLevel): Promise<AreaRef[]> {
  const r = await q.query<AreaRef>(`SELECT id, code, name FROM area WHERE kind = $1 ORDER BY name, id`, [level])
  return r.rows
}

/** The level's areas as a GeoJSON FeatureCollection text (string assembly: no re-parse of geometry). */
export async function areasGeoJson(q: Queryable, level: AreaLevel): Promise<string> {
  const r = await q.query<{ id: string; code: string; name: string; g: string }>(
    `SELECT id, code, name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.00005), 6) AS g FROM area WHERE kind = $1 ORDER BY id`,
    [level],
  )
  const features = r.rows.map((a) => `{"type":"Feature","id":${JSON.stringify(a.id)},"properties":${JSON.stringify({ code: a.code, name: a.name })},"geometry":${a.g}}`)
  return `{"type":"FeatureCollection","features":[${features.join(',')}]}`
}

/**
 * One row per area of the level, empty ones included (values null), from a map area id → values.
 * Values for ids the level does not have are ignored.
 */
export function areaRows(areas: readonly AreaRef[], values: ReadonlyMap<string, Record<string, number | null>>, measureIds: readonly string[]): AreaRow[] {
  return areas.map((a) => {
    const v = values.get(a.id)
    return { areaId: a.id, code: a.code, name: a.name, values: Object.fromEntries(measureIds.map((m) => [m, v?.[m] ?? null])) }
  })
}

export interface ImportedDataset {
  datasetId: string
  title: string
  licence: string
  attribution: string
}

/** The import records (title, licence, attribution) of the datasets named that were imported, by id. */
export async function importedDatasets(q: Queryable, datasetIds: readonly string[]): Promise<ImportedDataset[]> {
  if (datasetIds.length === 0) return []
  const r = await q.query<{ dataset_id: string; title: string; licence: string; attribution: string }>(
    `SELECT dataset_id, title, licence, attribution FROM dataset_import WHERE dataset_id = ANY($1::text[]) ORDER BY dataset_id`,
    [datasetIds],
  )
  return r.rows.map((x) => ({ datasetId: x.dataset_id, title: x.title, licence: x.licence, attribution: x.attribution }))
}

/** The datasets the areas of these kinds were imported from (area.dataset). */
export async function areaDatasets(q: Queryable, kinds: readonly string[]): Promise<string[]> {
  const r = await q.query<{ dataset: string }>(`SELECT DISTINCT dataset FROM area WHERE kind = ANY($1::text[]) ORDER BY dataset`, [kinds])
  return r.rows.map((x) => x.dataset)
}
