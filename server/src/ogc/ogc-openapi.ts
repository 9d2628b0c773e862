/**
 * The OpenAPI 3.0 definition of /ogc (conformance class oas30), generated from the asset model: one
 * items path per collection with its feature schema, the Part 1–4 parameters, the Part 4 write
 * operations with If-Match, ETag and the 412/428 answers. Self-contained (no external $ref), so
 * validators and clients read it offline.
 */
import { ASSET_TYPES, visibleAttributes, type AssetType } from '../../../contracts/schemas/census'
import { SUPPORTED_CRS } from './crs'
import { featureSchema } from './ogc-documents'
import { DEFAULT_LIMIT, MAX_LIMIT } from './ogc-request'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` })
const json = (schema: unknown, type = 'application/json') => ({ content: { [type]: { schema } } })
const error = (description: string) => ({ description, ...json(ref('exception')) })

export function ogcOpenApi(base: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {
    '/': { get: { operationId: 'getLandingPage', summary: 'Landing page', tags: ['Capabilities'], parameters: [param('f')], responses: { 200: { description: 'The landing page', ...json(ref('landingPage')) } } } },
    '/conformance': { get: { operationId: 'getConformance', summary: 'Conformance classes', tags: ['Capabilities'], parameters: [param('f')], responses: { 200: { description: 'The conformance classes', ...json(ref('confClasses')) } } } },
    '/api': { get: { operationId: 'getApi', summary: 'This document', tags: ['Capabilities'], responses: { 200: { description: 'OpenAPI 3.0', content: { 'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } } } } } } },
    '/collections': { get: { operationId: 'getCollections', summary: 'The collections', tags: ['Capabilities'], parameters: [param('f')], responses: { 200: { description: 'The collections', ...json(ref('collections')) } } } },
  }
  for (const t of ASSET_TYPES) {
    const c = `/collections/${t.id}`
    const fs = { title: `${t.title.en} feature`, type: 'object', required: ['type', 'geometry', 'properties'], properties: { type: { type: 'string', enum: ['Feature'] }, id: { type: 'integer' }, geometry: ref('geometryGeoJSON'), properties: stripSchemaKeywords(featureSchema(t, 'en', true)) } }
    const schemaName = `feature-${t.id}`
    components.schemas[schemaName] = fs
    const featureIdAndEtag = [param('featureId')]
    paths[c] = { get: { operationId: `describe-${t.id}`, summary: t.title.en, tags: [t.title.en], parameters: [param('f')], responses: { 200: { description: 'The collection', ...json(ref('collection')) }, 404: error('No such collection') } } }
    paths[`${c}/queryables`] = { get: { operationId: `queryables-${t.id}`, summary: `Queryables of ${t.title.en}`, tags: [t.title.en], responses: { 200: { description: 'JSON Schema', ...json({ type: 'object' }, 'application/schema+json') } } } }
    paths[`${c}/items`] = {
      get: {
        operationId: `items-${t.id}`,
        summary: `${t.title.en}: features`,
        tags: [t.title.en],
        // The public attributes as equality parameters too (Part 3 queryables-query-parameters; GDAL sends them).
        parameters: [...['limit', 'offset', 'after', 'bbox', 'bbox-crs', 'datetime', 'crs', 'filter', 'filter-lang', 'filter-crs', 'f'].map(param), ...queryableParams(t)],
        responses: { 200: { description: 'Features', headers: { 'Content-Crs': { schema: { type: 'string' } } }, ...json(ref('featureCollectionGeoJSON'), 'application/geo+json') }, 400: error('A parameter is wrong (the message names it)') },
      },
      post: {
        operationId: `create-${t.id}`,
        summary: `Create a ${t.title.en} feature`,
        tags: [t.title.en],
        parameters: [param('Content-Crs')],
        requestBody: { required: true, ...json(ref(schemaName), 'application/geo+json') },
        responses: { 201: { description: 'Created', headers: { Location: { schema: { type: 'string' } }, ETag: { schema: { type: 'string' } } } }, 400: error('Not a feature'), 401: error('Sign in'), 403: error('No census:write'), 422: error('Invalid geometry or attributes (the reason is given)') },
      },
    }
    paths[`${c}/items/{featureId}`] = {
      get: { operationId: `get-${t.id}`, summary: `One ${t.title.en} feature`, tags: [t.title.en], parameters: [...featureIdAndEtag, param('crs'), param('datetime'), param('f')], responses: { 200: { description: 'The feature', headers: { ETag: { schema: { type: 'string' } } }, ...json(ref(schemaName), 'application/geo+json') }, 404: error('No such feature') } },
      put: { operationId: `replace-${t.id}`, summary: 'Replace', tags: [t.title.en], parameters: [...featureIdAndEtag, param('If-Match'), param('Content-Crs')], requestBody: { required: true, ...json(ref(schemaName), 'application/geo+json') }, responses: writeResponses(t.editMode === 'strict') },
      patch: { operationId: `update-${t.id}`, summary: 'Update (merge patch)', tags: [t.title.en], parameters: [...featureIdAndEtag, param('If-Match'), param('Content-Crs')], requestBody: { required: true, ...json({ type: 'object' }, 'application/merge-patch+json') }, responses: writeResponses(t.editMode === 'strict') },
      delete: { operationId: `delete-${t.id}`, summary: 'Delete', tags: [t.title.en], parameters: [...featureIdAndEtag, param('If-Match')], responses: { ...writeResponses(t.editMode === 'strict'), 204: { description: 'Deleted (a tombstone stays in the history)' } } },
    }
  }
  return { openapi: '3.0.3', info: { title: 'Gemello — infrastructure census (OGC API – Features)', version: '1.0.0', license: { name: 'EUPL-1.2' } }, servers: [{ url: base }], paths, components }
}

function queryableParams(t: AssetType) {
  return visibleAttributes(t, false).map((a) => ({
    name: a.name,
    in: 'query',
    required: false,
    description: `${a.label.en}: features whose value equals this`,
    schema: a.kind === 'integer' || (a.kind === 'ref' && a.ref?.kind === 'feature') ? { type: 'integer' } : a.kind === 'number' ? { type: 'number' } : a.kind === 'boolean' ? { type: 'boolean' } : a.kind === 'code' ? { type: 'string', enum: a.codes?.map((c) => c.code) } : { type: 'string' },
  }))
}

function writeResponses(strict: boolean) {
  return {
    200: { description: 'Changed; the new ETag', headers: { ETag: { schema: { type: 'string' } } } },
    404: error('No such feature'),
    409: error('Still referred to by other features'),
    412: error('If-Match (or properties._version) names another version: someone changed it meanwhile'),
    ...(strict ? { 428: error('This collection requires If-Match') } : {}),
    422: error('Invalid geometry or attributes'),
  }
}

/** JSON Schema 2020 keywords OpenAPI 3.0 does not know. */
function stripSchemaKeywords(s: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _s, ...rest } = s
  const props = rest.properties as Record<string, Record<string, unknown>>
  const clean: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(props)) {
    const { unit: _u, ...p } = v
    clean[k] = { ...p, nullable: true }
  }
  return { ...rest, properties: clean }
}

const link = { type: 'object', required: ['href'], properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' } } }
const components: { schemas: Record<string, unknown>; parameters: Record<string, unknown> } = {
  schemas: {
    link,
    exception: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, description: { type: 'string' } } },
    landingPage: { type: 'object', required: ['links'], properties: { title: { type: 'string' }, description: { type: 'string' }, links: { type: 'array', items: ref('link') } } },
    confClasses: { type: 'object', required: ['conformsTo'], properties: { conformsTo: { type: 'array', items: { type: 'string' } } } },
    collection: { type: 'object', required: ['id', 'links'], properties: { id: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, links: { type: 'array', items: ref('link') }, crs: { type: 'array', items: { type: 'string' } }, storageCrs: { type: 'string' }, itemType: { type: 'string' } } },
    collections: { type: 'object', required: ['links', 'collections'], properties: { links: { type: 'array', items: ref('link') }, collections: { type: 'array', items: ref('collection') } } },
    geometryGeoJSON: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'] }, coordinates: { type: 'array', items: {} } } },
    featureCollectionGeoJSON: { type: 'object', required: ['type', 'features'], properties: { type: { type: 'string', enum: ['FeatureCollection'] }, features: { type: 'array', items: { type: 'object' } }, links: { type: 'array', items: ref('link') }, timeStamp: { type: 'string', format: 'date-time' }, numberMatched: { type: 'integer', minimum: 0 }, numberReturned: { type: 'integer', minimum: 0 } } },
  },
  parameters: {
    f: { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'html'] } },
    limit: { name: 'limit', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
    offset: { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
    after: { name: 'after', in: 'query', required: false, description: 'Keyset cursor of the next link: the page starts after this feature id', schema: { type: 'integer', minimum: 0 } },
    bbox: { name: 'bbox', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } },
    'bbox-crs': { name: 'bbox-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: SUPPORTED_CRS.map((c) => c.uri) } },
    crs: { name: 'crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: SUPPORTED_CRS.map((c) => c.uri) } },
    datetime: { name: 'datetime', in: 'query', required: false, description: 'An instant (the features as they were then) or an interval (each feature as it last was during it)', schema: { type: 'string' } },
    filter: { name: 'filter', in: 'query', required: false, description: 'CQL2 text or JSON', schema: { type: 'string' } },
    'filter-lang': { name: 'filter-lang', in: 'query', required: false, schema: { type: 'string', enum: ['cql2-text', 'cql2-json'], default: 'cql2-text' } },
    'filter-crs': { name: 'filter-crs', in: 'query', required: false, schema: { type: 'string', enum: ['http://www.opengis.net/def/crs/OGC/1.3/CRS84'] } },
    featureId: { name: 'featureId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
    'If-Match': { name: 'If-Match', in: 'header', required: false, description: 'The ETag of the version changed ("<id>:v<version>", strong)', schema: { type: 'string' } },
    'Content-Crs': { name: 'Content-Crs', in: 'header', required: false, schema: { type: 'string' } },
  },
}
