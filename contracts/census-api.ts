/**
 * The infrastructure census's routes (ADR 0008, docs/census.md): the OGC API – Features at /ogc (its
 * own OpenAPI document at /ogc/api; these entries declare who may call each path) and Gemello's
 * census REST routes under /api/census for the web editor (history, conflicts, repair preview,
 * import and export).
 */
import { z } from 'zod'
import type { Permission } from './access'
import type { RouteContract } from './api'
import { CollectionIdSchema, GEOMETRY_TYPES } from './schemas/census'

export interface OgcRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options' | 'all'
  path: string
  permission: Permission | 'anyone'
  summary: string
}

const C = '/ogc/collections/:collectionId'
export const OGC_ROUTES = {
  landing: { method: 'get', path: '/ogc', permission: 'census:read-public', summary: 'Landing page' },
  conformance: { method: 'get', path: '/ogc/conformance', permission: 'census:read-public', summary: 'Conformance classes this server implements (and tests)' },
  api: { method: 'get', path: '/ogc/api', permission: 'census:read-public', summary: 'The OpenAPI 3.0 definition of this OGC API' },
  collections: { method: 'get', path: '/ogc/collections', permission: 'census:read-public', summary: 'The census collections (one per asset type)' },
  collection: { method: 'get', path: C, permission: 'census:read-public', summary: 'One collection: extent, CRSs, storage CRS, links' },
  queryables: { method: 'get', path: `${C}/queryables`, permission: 'census:read-public', summary: 'Queryables (Part 3): what filters may name' },
  schema: { method: 'get', path: `${C}/schema`, permission: 'census:read-public', summary: 'JSON Schema of the features (attributes, code lists)' },
  items: { method: 'get', path: `${C}/items`, permission: 'census:read-public', summary: 'Features: bbox, datetime (as of), CQL2 filter, crs, paging' },
  itemsOptions: { method: 'options', path: `${C}/items`, permission: 'census:read-public', summary: 'Allowed methods (QGIS reads them to enable editing)' },
  createItem: { method: 'post', path: `${C}/items`, permission: 'census:write', summary: 'Create a feature (201, Location, ETag)' },
  item: { method: 'get', path: `${C}/items/:featureId`, permission: 'census:read-public', summary: 'One feature with its strong ETag; datetime = as of that instant' },
  itemOptions: { method: 'options', path: `${C}/items/:featureId`, permission: 'census:read-public', summary: 'Allowed methods of a feature' },
  replaceItem: { method: 'put', path: `${C}/items/:featureId`, permission: 'census:write', summary: 'Replace a feature (If-Match; QGIS mode per collection)' },
  updateItem: { method: 'patch', path: `${C}/items/:featureId`, permission: 'census:write', summary: 'Update some attributes or the geometry (JSON merge patch)' },
  deleteItem: { method: 'delete', path: `${C}/items/:featureId`, permission: 'census:write', summary: 'Delete a feature (a tombstone stays in its history; the id is never reused)' },
  notFound: { method: 'all', path: '/ogc/{*rest}', permission: 'anyone', summary: 'Anything else under /ogc: 404' },
} as const satisfies Record<string, OgcRoute>
export type OgcRouteName = keyof typeof OGC_ROUTES

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const FeatureIdParam = z.string().regex(/^[1-9]\d{0,14}$/, 'a feature id is a whole number').transform(Number)

export const CensusCollectionParamsSchema = z.object({ collection: CollectionIdSchema })
export const CensusFeatureParamsSchema = z.object({ collection: CollectionIdSchema, id: FeatureIdParam })

const LabelSchema = z.object({ en: z.string(), it: z.string() })
export const CensusModelSchema = z.object({
  storageSrid: z.number().int(),
  lifecycle: z.array(z.object({ code: z.string(), label: LabelSchema })),
  types: z.array(
    z.object({
      id: CollectionIdSchema,
      title: LabelSchema,
      description: LabelSchema,
      geometryType: z.enum(['Point', 'LineString', 'Polygon']),
      editMode: z.enum(['qgis', 'strict']),
      fiware: z.string().nullable(),
      seededFrom: z.string().nullable(),
      attributes: z.array(
        z.object({
          name: z.string(),
          kind: z.enum(['string', 'integer', 'number', 'boolean', 'date', 'code', 'ref']),
          label: LabelSchema,
          required: z.boolean().optional(),
          public: z.boolean().optional(),
          codes: z.array(z.object({ code: z.string(), label: LabelSchema })).optional(),
          min: z.number().optional(),
          max: z.number().optional(),
          maxLength: z.number().optional(),
          unit: z.string().optional(),
          ref: z.union([z.object({ kind: z.literal('feature'), collections: z.array(CollectionIdSchema) }), z.object({ kind: z.literal('device') }), z.object({ kind: z.literal('lane') })]).optional(),
        }),
      ),
    }),
  ),
})
export type CensusModel = z.infer<typeof CensusModelSchema>

const GeometrySchema = z.object({ type: z.string(), coordinates: z.unknown() })
export const FeatureVersionSchema = z.object({
  version: z.number().int(),
  deleted: z.boolean(),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** CRS84 lon/lat. */
  geometry: GeometrySchema,
  validFromMs: z.number(),
  validToMs: z.number().nullable(),
  editor: z.string(),
  editorRole: z.string(),
  requestId: z.string().nullable(),
  note: z.string().nullable(),
  lastWriterWins: z.boolean(),
})
export type FeatureVersionDto = z.infer<typeof FeatureVersionSchema>
export const FeatureHistorySchema = z.object({ collection: CollectionIdSchema, id: z.number().int(), versions: z.array(FeatureVersionSchema) })
export type FeatureHistory = z.infer<typeof FeatureHistorySchema>

export const ConflictsQuerySchema = z.object({ sinceMs: intParam(0, 8_640_000_000_000).optional(), limit: intParam(1, 1000).default(200) })
export const ConflictSchema = z.object({
  collection: CollectionIdSchema,
  id: z.number().int(),
  version: z.number().int(),
  atMs: z.number(),
  editor: z.string(),
  /** Who wrote the version that was overwritten without being named (null when it was the same editor). */
  overwrittenEditor: z.string().nullable(),
  overwrittenAtMs: z.number().nullable(),
  deleted: z.boolean(),
})
export type Conflict = z.infer<typeof ConflictSchema>
export const ConflictsResponseSchema = z.object({ conflicts: z.array(ConflictSchema) })

export const RepairPreviewBodySchema = z.object({
  geometry: GeometrySchema,
  /** CRS of the geometry (default CRS84), e.g. http://www.opengis.net/def/crs/EPSG/0/7791. */
  crs: z.string().max(200).optional(),
})
export const RepairPreviewSchema = z.object({
  valid: z.boolean(),
  reason: z.string(),
  repaired: GeometrySchema.nullable(),
  repairedType: z.string().nullable(),
  acceptable: z.boolean(),
  message: z.string(),
})

export const EXPORT_FORMATS = ['geojson', 'csv', 'flatgeobuf', 'gpkg', 'shapefile'] as const
export const ExportQuerySchema = z.object({ format: z.enum(EXPORT_FORMATS).default('geojson'), crs: z.string().max(200).optional() })

export const ImportQuerySchema = z.object({
  /** Check everything and report, store nothing. */
  dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** The GeoPackage layer to read when the file holds several. */
  layer: z.string().max(100).optional(),
  note: z.string().max(2000).optional(),
  /** The file's name, for the report (never used as a path). */
  fileName: z.string().max(200).optional(),
})
export const ImportProblemSchema = z.object({ index: z.number().int(), id: z.union([z.string(), z.number()]).nullable(), path: z.string(), message: z.string() })
export const ImportReportSchema = z.object({
  collection: CollectionIdSchema,
  format: z.string(),
  sourceCrs: z.string(),
  features: z.number().int(),
  /** Created (new) and replaced (an `id` of an existing feature of the collection). */
  created: z.number().int(),
  replaced: z.number().int(),
  stored: z.boolean(),
  problems: z.array(ImportProblemSchema),
})
export type ImportReport = z.infer<typeof ImportReportSchema>

export const FiwareQuerySchema = z.object({ limit: intParam(1, 10_000).default(1000), offset: intParam(0, 10_000_000).default(0) })

// ---------------------------------------------------------------------------------------------
// The /ogc documents as Gemello's own clients read them (the OGC API's full shapes are in /ogc/api)
// ---------------------------------------------------------------------------------------------

const PositionSchema = z.tuple([z.number(), z.number()], z.number())
/** The geometries of census features, in CRS84 (lon, lat). */
export const CensusGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: PositionSchema }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(PositionSchema) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(PositionSchema)) }),
])
export type CensusGeometry = z.infer<typeof CensusGeometrySchema>

/** A census feature as /ogc serves it: its properties hold `_version`. */
export const CensusFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.number().int(),
  geometry: CensusGeometrySchema,
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
})
export type CensusFeature = z.infer<typeof CensusFeatureSchema>

export const CensusPageSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(CensusFeatureSchema),
  numberMatched: z.number().int(),
  numberReturned: z.number().int(),
})
export type CensusPage = z.infer<typeof CensusPageSchema>

export const CollectionSummarySchema = z.object({
  id: CollectionIdSchema,
  title: z.string(),
  description: z.string().optional(),
  numberOfFeatures: z.number().int(),
  geometryType: z.enum(GEOMETRY_TYPES),
  editMode: z.enum(['qgis', 'strict']),
  editable: z.boolean(),
})
export type CollectionSummary = z.infer<typeof CollectionSummarySchema>
/** /ogc/collections as the web editor reads it. */
export const CollectionsDocSchema = z.object({ collections: z.array(CollectionSummarySchema) })


export const CENSUS_ROUTES = {
  censusModel: { method: 'get', path: '/api/census/model', permission: 'census:read-public', operationId: 'censusModel', summary: 'The asset types of the census: attributes, code lists, relations, geometry type, edit mode', tags: ['census'], response: CensusModelSchema, errors: [] },
  censusConflicts: { method: 'get', path: '/api/census/conflicts', permission: 'census:read', operationId: 'censusConflicts', summary: 'Changes applied as last writer wins (no If-Match, no _version): who overwrote whom, newest first', tags: ['census'], query: ConflictsQuerySchema, response: ConflictsResponseSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  censusHistory: { method: 'get', path: '/api/census/:collection/:id/history', permission: 'census:read', operationId: 'censusHistory', summary: 'Every version of a feature (editor, time, note, tombstone), geometry in CRS84', tags: ['census'], params: CensusFeatureParamsSchema, response: FeatureHistorySchema, errors: ['VALIDATION_FAILED', 'FEATURE_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  censusRepairPreview: { method: 'post', path: '/api/census/:collection/repair-preview', permission: 'census:write', operationId: 'censusRepairPreview', summary: 'What ST_MakeValid makes of a geometry, and whether the collection takes it (nothing is stored)', tags: ['census'], params: CensusCollectionParamsSchema, body: RepairPreviewBodySchema, response: RepairPreviewSchema, errors: ['VALIDATION_FAILED', 'INVALID_GEOMETRY', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  censusImport: { method: 'post', path: '/api/census/:collection/import', permission: 'census:write', operationId: 'censusImport', summary: 'Import a GeoJSON, CSV, GeoPackage or zipped Shapefile: all or nothing, with a report per feature', tags: ['census'], params: CensusCollectionParamsSchema, query: ImportQuerySchema, response: ImportReportSchema, errors: ['VALIDATION_FAILED', 'UPLOAD_REFUSED', 'IMPORT_REJECTED', 'PAYLOAD_TOO_LARGE', 'GDAL_UNAVAILABLE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  censusFiware: { method: 'get', path: '/api/census/:collection/fiware', permission: 'census:read-public', operationId: 'censusFiware', summary: 'The collection as FIWARE Smart Data Models entities (NGSI-LD key-values; Streetlight, StreetlightControlCabinet, Device, Camera), paged; the @context in the Link header', tags: ['census'], params: CensusCollectionParamsSchema, query: FiwareQuerySchema, response: z.array(z.record(z.string(), z.unknown())), errors: ['VALIDATION_FAILED', 'COLLECTION_NOT_FOUND'] },
  censusExport: { method: 'get', path: '/api/census/:collection/export', permission: 'census:read-public', operationId: 'censusExport', summary: 'Download a collection as GeoJSON, CSV, FlatGeobuf, GeoPackage or zipped Shapefile', tags: ['census'], params: CensusCollectionParamsSchema, query: ExportQuerySchema, response: z.string().describe('the file'), contentType: 'application/octet-stream', errors: ['VALIDATION_FAILED', 'GDAL_UNAVAILABLE'] },
} as const satisfies Record<string, RouteContract>
