/**
 * The census editor's calls (ADR 0008): features through the OGC API – Features at /ogc, like QGIS
 * (GeoJSON in CRS84, strong ETags, If-Match on every change — the editor never relies on last writer
 * wins), and the census REST routes of contracts/census-api.ts (model, history, conflict report,
 * repair preview, import, export). Every answer is parsed before use; failures are ApiError with the
 * contract code (PRECONDITION_FAILED, INVALID_FEATURE with its details, INVALID_GEOMETRY, FEATURE_IN_USE…).
 *
 * The OGC documents have no zod schema in contracts/ (OGC_ROUTES declares paths and permissions only):
 * the part of them the editor reads is declared here, built on the contract's collection ids and values.
 */
import { z } from 'zod'
import {
  CENSUS_ROUTES,
  ConflictsResponseSchema,
  FeatureHistorySchema,
  ImportReportSchema,
  RepairPreviewSchema,
  CensusModelSchema,
  EXPORT_FORMATS,
  type CensusModel,
  type Conflict,
  type FeatureHistory,
  type ImportReport,
} from '../../../contracts/census-api'
import type { CollectionId } from '../../../contracts/schemas/census'
import { ApiError, apiErrorFromBody } from './api-error'
import type { FetchLike } from './send-json'

import { CensusFeatureSchema, CensusPageSchema, CollectionsDocSchema, type CensusFeature, type CensusGeometry, type CensusPage, type CollectionSummary } from '../../../contracts/census-api'
export { CensusGeometrySchema, CensusFeatureSchema, CensusPageSchema, CollectionSummarySchema, type CensusGeometry, type CensusFeature, type CensusPage, type CollectionSummary } from '../../../contracts/census-api'
export type PropertyValue = string | number | boolean | null
export type RepairPreview = z.infer<typeof RepairPreviewSchema>
export type { CensusModel, Conflict, FeatureHistory, ImportReport }
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** A feature with the strong ETag it was read or written at (`"<id>:v<version>"`). */
export interface TaggedFeature {
  feature: CensusFeature
  etag: string
  version: number
}

/** What a change sends: a JSON merge patch of the properties (null clears), and the new geometry when it moved. */
export interface FeaturePatch {
  properties?: Record<string, PropertyValue>
  geometry?: CensusGeometry
}

export interface CensusClient {
  model(signal?: AbortSignal): Promise<CensusModel>
  collections(lang: string, signal?: AbortSignal): Promise<CollectionSummary[]>
  /** Features of a collection in a CRS84 box, at most `limit`; numberMatched says how many there are. */
  items(collection: CollectionId, query: { bbox?: readonly number[]; limit: number; offset?: number }, signal?: AbortSignal): Promise<CensusPage>
  feature(collection: CollectionId, id: number, signal?: AbortSignal): Promise<TaggedFeature>
  create(collection: CollectionId, body: { geometry: CensusGeometry; properties: Record<string, PropertyValue> }, note?: string): Promise<TaggedFeature>
  /** PATCH with If-Match: 412 PRECONDITION_FAILED when someone else changed the feature since `etag`. */
  update(collection: CollectionId, id: number, etag: string, patch: FeaturePatch, note?: string): Promise<TaggedFeature>
  remove(collection: CollectionId, id: number, etag: string, note?: string): Promise<void>
  history(collection: CollectionId, id: number, signal?: AbortSignal): Promise<FeatureHistory>
  conflicts(query?: { sinceMs?: number; limit?: number }, signal?: AbortSignal): Promise<Conflict[]>
  repairPreview(collection: CollectionId, geometry: { type: string; coordinates: unknown }): Promise<RepairPreview>
  /** Uploads a file as it is (GeoJSON, CSV, GeoPackage, zipped Shapefile); dryRun checks and stores nothing. */
  importFile(collection: CollectionId, file: Blob, options: { dryRun: boolean; note?: string; layer?: string }): Promise<ImportReport>
  /** Where the browser downloads a collection (a link, not a fetch: the file goes to disk). */
  exportUrl(collection: CollectionId, format: ExportFormat): string
}

export interface CensusClientOptions {
  /** Prefix of every path, '' for the page's own origin. */
  baseUrl?: string
  fetch?: typeof fetch
}

/** Most a browser import sends (the server refuses more with PAYLOAD_TOO_LARGE). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024

/** The version an ETag names, `"12:v3"` → 3; null for anything else (weak tags included). */
export function versionOfEtag(etag: string | null): number | null {
  const m = etag ? /^"(\d+):v(\d+)"$/.exec(etag.trim()) : null
  return m ? Number(m[2]) : null
}

const fillPath = (path: string, params: Record<string, string | number>) =>
  path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name]
    if (v === undefined) throw new Error(`no value for :${name} in ${path}`)
    return encodeURIComponent(String(v))
  })

const withQuery = (path: string, query: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined) p.set(k, String(v))
  const qs = p.toString()
  return qs ? `${path}?${qs}` : path
}

interface Request {
  method: string
  path: string
  headers?: Record<string, string>
  body?: BodyInit
  signal?: AbortSignal | undefined
}

export function createCensusClient(options: CensusClientOptions = {}): CensusClient {
  const baseUrl = options.baseUrl ?? ''
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))

  /** One call; a non-2xx answer becomes the ApiError of its envelope (the OGC exception carries it too). */
  async function send(r: Request): Promise<Response> {
    let response: Response
    try {
      response = await doFetch(`${baseUrl}${r.path}`, { method: r.method, credentials: 'same-origin', headers: { accept: 'application/json', ...r.headers }, ...(r.body !== undefined ? { body: r.body } : {}), signal: r.signal })
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err
      throw new ApiError('NETWORK', `Cannot reach the server (${err instanceof Error ? err.message : String(err)})`, 0)
    }
    if (!response.ok) {
      let body: unknown = null
      try {
        body = await response.json()
      } catch {
        // Not JSON: the generic HTTP error below.
      }
      throw apiErrorFromBody(response.status, response.statusText, body)
    }
    return response
  }

  async function parse<S extends z.ZodType>(response: Response, schema: S, path: string): Promise<z.infer<S>> {
    let answer: unknown
    try {
      answer = await response.json()
    } catch {
      throw new ApiError('BAD_RESPONSE', `${path}: the response is not JSON`, response.status)
    }
    const parsed = schema.safeParse(answer)
    if (!parsed.success) {
      const first = parsed.error.issues[0]
      throw new ApiError('BAD_RESPONSE', `${path}: the response does not match the contract (${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'})`, response.status)
    }
    return parsed.data
  }

  const json = async <S extends z.ZodType>(r: Request, schema: S) => parse(await send(r), schema, r.path)

  async function tagged(r: Request): Promise<TaggedFeature> {
    const response = await send(r)
    const feature = await parse(response, CensusFeatureSchema, r.path)
    const etag = response.headers.get('etag')
    const version = versionOfEtag(etag)
    if (!etag || version === null) throw new ApiError('BAD_RESPONSE', `${r.path}: the answer has no strong ETag "<id>:v<version>"`, response.status)
    return { feature, etag, version }
  }

  const noteHeader = (note?: string): Record<string, string> => (note && note.trim() ? { 'x-gemello-note': encodeURIComponent(note.trim()) } : {})
  const item = (collection: CollectionId, id: number) => `/ogc/collections/${encodeURIComponent(collection)}/items/${id}`
  const GEOJSON = 'application/geo+json'

  return {
    model: (signal) => json({ method: 'GET', path: CENSUS_ROUTES.censusModel.path, signal }, CensusModelSchema),
    collections: (lang, signal) =>
      json({ method: 'GET', path: '/ogc/collections?f=json', headers: { 'accept-language': lang }, signal }, CollectionsDocSchema).then((d) => d.collections),
    items: (collection, q, signal) =>
      json(
        {
          method: 'GET',
          path: withQuery(`/ogc/collections/${encodeURIComponent(collection)}/items`, { f: 'json', bbox: q.bbox?.join(','), limit: q.limit, offset: q.offset }),
          headers: { accept: GEOJSON },
          signal,
        },
        CensusPageSchema,
      ),
    feature: (collection, id, signal) => tagged({ method: 'GET', path: `${item(collection, id)}?f=json`, headers: { accept: GEOJSON }, signal }),
    create: (collection, body, note) =>
      tagged({
        method: 'POST',
        path: `/ogc/collections/${encodeURIComponent(collection)}/items`,
        headers: { accept: GEOJSON, 'content-type': GEOJSON, ...noteHeader(note) },
        body: JSON.stringify({ type: 'Feature', geometry: body.geometry, properties: body.properties }),
      }),
    update: (collection, id, etag, patch, note) =>
      tagged({
        method: 'PATCH',
        path: item(collection, id),
        headers: { accept: GEOJSON, 'content-type': 'application/merge-patch+json', 'if-match': etag, ...noteHeader(note) },
        body: JSON.stringify({ ...(patch.properties ? { properties: patch.properties } : {}), ...(patch.geometry ? { geometry: patch.geometry } : {}) }),
      }),
    remove: async (collection, id, etag, note) => {
      await send({ method: 'DELETE', path: item(collection, id), headers: { 'if-match': etag, ...noteHeader(note) } })
    },
    history: (collection, id, signal) => json({ method: 'GET', path: fillPath(CENSUS_ROUTES.censusHistory.path, { collection, id }), signal }, FeatureHistorySchema),
    conflicts: (q = {}, signal) =>
      json({ method: 'GET', path: withQuery(CENSUS_ROUTES.censusConflicts.path, { sinceMs: q.sinceMs, limit: q.limit }), signal }, ConflictsResponseSchema).then((r) => r.conflicts),
    repairPreview: (collection, geometry) =>
      json({ method: 'POST', path: fillPath(CENSUS_ROUTES.censusRepairPreview.path, { collection }), headers: { 'content-type': 'application/json' }, body: JSON.stringify({ geometry }) }, RepairPreviewSchema),
    importFile: (collection, file, o) =>
      json(
        {
          method: 'POST',
          path: withQuery(fillPath(CENSUS_ROUTES.censusImport.path, { collection }), { dryRun: String(o.dryRun), note: o.note?.trim() || undefined, layer: o.layer || undefined }),
          headers: { 'content-type': 'application/octet-stream' },
          body: file,
        },
        ImportReportSchema,
      ),
    exportUrl: (collection, format) => `${baseUrl}${withQuery(fillPath(CENSUS_ROUTES.censusExport.path, { collection }), { format })}`,
  }
}
