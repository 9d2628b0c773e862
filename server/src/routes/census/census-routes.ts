/**
 * The census's REST routes for the web editor (contracts/census-api.ts, ADR 0008): the asset model,
 * a feature's history, the last-writer-wins conflict report (D1), the repair preview, import and
 * export. Features themselves are read and written through the OGC API (/ogc), like QGIS does.
 */
import express, { type Express, type Request, type Response } from 'express'
import { CENSUS_ROUTES, CensusCollectionParamsSchema, ExportQuerySchema, ImportQuerySchema, type Conflict, type CensusModel } from '../../../../contracts/census-api'
import type { z } from 'zod'
import { toFiwareEntity } from '../../../../contracts/census/fiware-views'
import { exportFeatures } from '../../census/files/export-features'
import { readUpload } from '../../census/files/read-upload'
import { DEFAULT_UPLOAD_LIMITS } from '../../census/files/upload-limits'
import { importFeatures } from '../../db/census-import'
import { listFeatures } from '../../db/census-read'
import { guarded } from '../../http/access'
import { actorOf } from '../../http/actor'
import { ASSET_TYPES, CENSUS_STORAGE_SRID, LIFECYCLE, assetType } from '../../../../contracts/schemas/census'
import type { Db } from '../../db/adapter'
import { CensusError } from '../../db/census-error'
import { repairPreview } from '../../db/census-geometry'
import { featureHistory } from '../../db/census-read'
import { principalOf } from '../../http/access'
import { ApiError } from '../../http/api-error'
import { mount, parsePart } from '../../http/route'
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


/** Every feature of a collection a reader may see, lon/lat, for export (at most MAX_EXPORT). */
const MAX_EXPORT = 200_000

export function mountCensusRoutes(app: Express, d: CensusRouteDeps): void {
  const upload = express.raw({ type: () => true, limit: DEFAULT_UPLOAD_LIMITS.maxUploadBytes })
  guarded(app, 'post', CENSUS_ROUTES.censusImport.path, CENSUS_ROUTES.censusImport.permission, upload, (req: Request, res: Response, next) => {
    ;(async () => {
      const params = parsePart(CensusCollectionParamsSchema, req.params, 'path') as z.output<typeof CensusCollectionParamsSchema>
      const query = parsePart(ImportQuerySchema, req.query, 'query') as z.output<typeof ImportQuerySchema>
      const t = assetType(params.collection)!
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
      if (bytes.length === 0) throw new ApiError('VALIDATION_FAILED', 'The request has no file: send the file itself as the body (Content-Type: application/octet-stream)', [{ path: 'body', message: 'the file' }])
      const up = await readUpload({ fileName: query.fileName ?? `${t.id}.upload`, bytes, ...(query.layer ? { layerName: query.layer } : {}) })
      const report = await importFeatures(d.db, t, up, { dryRun: query.dryRun, writer: actorOf(res), note: query.note ?? null })
      if (!query.dryRun && !report.stored && report.problems.length > 0) {
        const first = report.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; ')
        const e = new ApiError('IMPORT_REJECTED', `${report.problems.length} problem(s) in ${report.features} feature(s); nothing was imported. ${first}${report.problems.length > 3 ? '; …' : ''}`, report.problems.slice(0, 1000).map((p) => ({ path: p.path, message: p.message })))
        res.status(e.status).json({ ...e.toEnvelope(), report })
        return
      }
      res.json(report)
    })().catch((e) => next(asApi(e)))
  })

  mount(app, CENSUS_ROUTES.censusFiware, async ({ params, query, req, res }) => {
    const t = assetType(params.collection)!
    if (!t.fiware) throw new ApiError('COLLECTION_NOT_FOUND', `${t.title.en} has no FIWARE Smart Data Models type; the collections that do are ${ASSET_TYPES.filter((x) => x.fiware).map((x) => x.id).join(', ')}`)
    const full = decide(await principalOf(req), 'census:read', Date.now()).ok
    const page = await listFeatures(d.db, { type: t, full, outSrid: 4326, limit: query.limit, offset: query.offset })
    const base = `${req.protocol}://${req.get('host')}/ogc`
    res.setHeader('Link', '<https://smartdatamodels.org/context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"')
    res.setHeader('NGSILD-Results-Count', String(page.numberMatched))
    return page.features.map((f) => toFiwareEntity(f, { full, baseUrl: base })).filter((e) => e !== null)
  })

  mount(app, CENSUS_ROUTES.censusExport, async ({ params, query, req, res }) => {
    const t = assetType(params.collection)!
    const full = decide(await principalOf(req), 'census:read', Date.now()).ok
    let targetCrs: number | undefined
    if (query.crs) {
      try {
        const c = parseCrs(query.crs, 'crs')
        targetCrs = c.srid
      } catch (e) {
        if (e instanceof CrsError) throw new ApiError('VALIDATION_FAILED', e.message, [{ path: 'query.crs', message: e.message }])
        throw e
      }
    }
    const page = await listFeatures(d.db, { type: t, full, outSrid: 4326, limit: MAX_EXPORT, offset: 0 })
    const fc = {
      type: 'FeatureCollection' as const,
      features: page.features.map((f) => ({ type: 'Feature' as const, id: f.id, geometry: f.geometry as never, properties: { id: f.id, ...f.properties, _version: f.version } })),
    }
    const file = await exportFeatures(fc, query.format, { layerName: t.id, ...(targetCrs !== undefined && targetCrs !== 4326 ? { targetCrs } : {}) })
    res.setHeader('Content-Type', file.contentType)
    res.setHeader('Content-Disposition', `attachment; filename="${t.id}.${file.fileExtension}"`)
    res.send(file.bytes)
    return undefined
  })

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
