/**
 * The census's REST routes for the web editor (contracts/census-api.ts, ADR 0008): the asset model,
 * a feature's history, the last-writer-wins conflict report (D1), the repair preview, import and
 * export. Features themselves are read and written through the OGC API (/ogc), like QGIS does.
 */
import type { Express } from 'express'
import { CENSUS_ROUTES, type Conflict, type CensusModel } from '../../../../contracts/census-api'
import { ASSET_TYPES, CENSUS_STORAGE_SRID, LIFECYCLE, assetType } from '../../../../contracts/schemas/census'
import type { Db } from '../../db/adapter'
import { CensusError } from '../../db/census-error'
import { repairPreview } from '../../db/census-geometry'
import { featureHistory } from '../../db/census-read'
import { principalOf } from '../../http/access'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { decide } from '../../identity/principal'
import { CrsError, parseCrs, toCrsAxisOrder } from '../../ogc/crs'

export interface CensusRouteDeps {
  db: Db
}

const asApi = (e: unknown) => (e instanceof CensusError ? new ApiError(e.code, e.message, e.details) : e)

export function censusModel(): CensusModel {
  return {
    storageSrid: CENSUS_STORAGE_SRID,
    lifecycle: LIFECYCLE.map((c) => ({ code: c.code, label: c.label })),
    types: ASSET_TYPES.map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      geometryType: t.geometryType,
      editMode: t.editMode,
      fiware: t.fiware,
      seededFrom: t.seededFrom,
      attributes: t.attributes.map((a) => ({ ...a, codes: a.codes ? [...a.codes] : undefined, ref: a.ref ? (a.ref.kind === 'feature' ? { kind: 'feature' as const, collections: [...a.ref.collections] } : a.ref) : undefined })),
    })),
  }
}

export function mountCensusRoutes(app: Express, d: CensusRouteDeps): void {
  mount(app, CENSUS_ROUTES.censusModel, async () => censusModel())

  mount(app, CENSUS_ROUTES.censusHistory, async ({ params, req }) => {
    const t = assetType(params.collection)!
    const full = decide(await principalOf(req), 'census:read', Date.now()).ok
    const versions = await featureHistory(d.db, t, params.id, { full, outSrid: 4326 })
    if (versions.length === 0) throw new ApiError('FEATURE_NOT_FOUND', `${t.title.en} has no feature ${params.id} and never had one`)
    return { collection: t.id, id: params.id, versions }
  })

  mount(app, CENSUS_ROUTES.censusConflicts, async ({ query }) => {
    const r = await d.db.query<{ collection: string; id: string | number; version: number; at_ms: number; editor: string; prev_editor: string | null; prev_ms: number | null; deleted: boolean }>(
      `SELECT v.collection, v.feature_id AS id, v.version, round(extract(epoch FROM v.valid_from) * 1000)::float8 AS at_ms, v.editor, v.deleted,
              p.editor AS prev_editor, round(extract(epoch FROM p.valid_from) * 1000)::float8 AS prev_ms
       FROM census_feature_version v LEFT JOIN census_feature_version p ON p.feature_id = v.feature_id AND p.version = v.version - 1
       WHERE v.last_writer_wins AND v.valid_from >= to_timestamp($1::float8 / 1000.0)
       ORDER BY v.valid_from DESC LIMIT $2`,
      [query.sinceMs ?? 0, query.limit],
    )
    const conflicts: Conflict[] = r.rows.map((c) => ({
      collection: c.collection as Conflict['collection'],
      id: Number(c.id),
      version: Number(c.version),
      atMs: Number(c.at_ms),
      editor: c.editor,
      overwrittenEditor: c.prev_editor !== null && c.prev_editor !== c.editor ? c.prev_editor : null,
      overwrittenAtMs: c.prev_ms === null ? null : Number(c.prev_ms),
      deleted: c.deleted,
    }))
    return { conflicts }
  })

  mount(app, CENSUS_ROUTES.censusRepairPreview, async ({ params, body }) => {
    const t = assetType(params.collection)!
    let crs
    try {
      crs = parseCrs(body.crs, 'crs')
    } catch (e) {
      if (e instanceof CrsError) throw new ApiError('VALIDATION_FAILED', e.message, [{ path: 'body.crs', message: e.message }])
      throw e
    }
    try {
      const g = toCrsAxisOrder(body.geometry as { type: string; coordinates: unknown }, crs)
      const p = await repairPreview(d.db, { geometry: g, srid: crs.srid }, t.geometryType)
      return { ...p, repaired: p.repaired ? toCrsAxisOrder(p.repaired, crs) : null }
    } catch (e) {
      if (e instanceof CensusError) throw asApi(e)
      throw new ApiError('INVALID_GEOMETRY', `PostGIS cannot read the geometry: ${(e as Error).message.slice(0, 200)}`, [{ path: 'body.geometry', message: 'not a GeoJSON geometry' }])
    }
  })
}
