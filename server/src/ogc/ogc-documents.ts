/**
 * The JSON documents of Gemello's OGC API – Features (ADR 0008): landing page, conformance,
 * collections with their CRSs (Part 2) and extents, queryables (Part 3, a JSON Schema), and features
 * as GeoJSON with their links. Conformance lists only classes the tests exercise (docs/census.md says
 * which test covers which class).
 */
import { ASSET_TYPES, CENSUS_STORAGE_SRID, VERSION_PROPERTY, visibleAttributes, type AssetType, type AttributeDef } from '../../../contracts/schemas/census'
import type { CensusFeature } from '../db/census-read'
import { CRS84, SUPPORTED_CRS, toCrsAxisOrder, type SupportedCrs } from './crs'
import type { Queryables } from './cql2/cql2-sql'

export interface Link {
  href: string
  rel: string
  type?: string
  title?: string
}

const F1 = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf'
const F2 = 'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf'
const F3 = 'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf'
const F4 = 'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf'
const CQL2 = 'http://www.opengis.net/spec/cql2/1.0/conf'

export function conformance(o: { accentInsensitive: boolean }): { conformsTo: string[] } {
  return {
    conformsTo: [
      `${F1}/core`, `${F1}/geojson`, `${F1}/html`, `${F1}/oas30`,
      `${F2}/crs`,
      `${F3}/filter`, `${F3}/features-filter`, `${F3}/queryables`, `${F3}/queryables-query-parameters`,
      `${CQL2}/cql2-text`, `${CQL2}/cql2-json`, `${CQL2}/basic-cql2`, `${CQL2}/advanced-comparison-operators`,
      `${CQL2}/case-insensitive-comparison`, ...(o.accentInsensitive ? [`${CQL2}/accent-insensitive-comparison`] : []),
      `${CQL2}/basic-spatial-functions`, `${CQL2}/basic-spatial-functions-plus`, `${CQL2}/spatial-functions`, `${CQL2}/temporal-functions`, `${CQL2}/property-property`,
      `${F4}/create-replace-delete`, `${F4}/update`, `${F4}/features`, `${F4}/optimistic-locking-etags`,
    ],
  }
}

export function landingPage(base: string, lang: 'en' | 'it'): { title: string; description: string; links: Link[]; attribution: string } {
  return {
    title: lang === 'it' ? 'Gemello — censimento delle infrastrutture' : 'Gemello — infrastructure census',
    description:
      lang === 'it'
        ? 'OGC API – Features (parti 1–4) del censimento: pali, punti luce, quadri, impianti semaforici, telecamere, spire, cavidotti. Modificabile da QGIS.'
        : 'OGC API – Features (Parts 1–4) of the census: poles, street lights, cabinets, signal controllers, cameras, loops, ducts. Editable from QGIS.',
    attribution: ATTRIBUTION,
    links: [
      { href: `${base}?f=json`, rel: 'self', type: 'application/json', title: 'This document' },
      { href: `${base}?f=html`, rel: 'alternate', type: 'text/html', title: 'This document as HTML' },
      { href: `${base}/api`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'The API definition (OpenAPI 3.0)' },
      { href: `${base}/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance classes' },
      { href: `${base}/collections`, rel: 'data', type: 'application/json', title: 'Collections' },
    ],
  }
}

export const ATTRIBUTION = 'Fonte: Comune di Bologna – opendata.comune.bologna.it, CC BY 4.0; ARPAE Emilia-Romagna; Bologna SUMO scenarios © DLR, EPL-2.0; © OpenStreetMap contributors, ODbL'

export interface CollectionStats {
  bbox: [number, number, number, number]
  count: number
  lastUpdateMs: number
}

export function collectionDoc(base: string, t: AssetType, lang: 'en' | 'it', stats: CollectionStats | undefined, editable: boolean) {
  const c = `${base}/collections/${t.id}`
  return {
    id: t.id,
    title: t.title[lang],
    description: t.description[lang],
    itemType: 'feature',
    extent: {
      spatial: { bbox: [stats?.bbox ?? [11.229, 44.421, 11.434, 44.556]], crs: CRS84 },
      temporal: { interval: [[null, null]], trs: 'http://www.opengis.net/def/uri/ISO-8601/0/Gregorian' },
    },
    crs: SUPPORTED_CRS.map((x) => x.uri),
    storageCrs: `http://www.opengis.net/def/crs/EPSG/0/${CENSUS_STORAGE_SRID}`,
    // Gemello extensions: how many features, the geometry type, the edit mode (D1), whether the reader may edit.
    numberOfFeatures: stats?.count ?? 0,
    geometryType: t.geometryType,
    editMode: t.editMode,
    editable,
    links: [
      { href: `${c}?f=json`, rel: 'self', type: 'application/json', title: t.title[lang] },
      { href: `${c}?f=html`, rel: 'alternate', type: 'text/html', title: `${t.title[lang]} (HTML)` },
      // No query string: GDAL appends /<id> to this link for one feature.
      { href: `${c}/items`, rel: 'items', type: 'application/geo+json', title: 'Items as GeoJSON' },
      { href: `${c}/items?f=html`, rel: 'items', type: 'text/html', title: 'Items as HTML' },
      { href: `${c}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', title: 'Queryables' },
      // The features' schema: clients type their fields from it instead of guessing from the first page
      // (GDAL 3.6 reads `describedBy`; `describedby` is the registered relation; Part 5 names its own).
      { href: `${c}/schema`, rel: 'describedby', type: 'application/schema+json', title: 'Schema of the features' },
      { href: `${c}/schema`, rel: 'describedBy', type: 'application/schema+json', title: 'Schema of the features' },
      { href: `${c}/schema`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/schema', type: 'application/schema+json', title: 'Schema of the features' },
      { href: `/api/census/${t.id}/export?format=flatgeobuf`, rel: 'enclosure', type: 'application/flatgeobuf', title: 'Download (FlatGeobuf)' },
      { href: `/api/census/${t.id}/export?format=gpkg`, rel: 'enclosure', type: 'application/geopackage+sqlite3', title: 'Download (GeoPackage)' },
    ],
  }
}

export function collectionsDoc(base: string, lang: 'en' | 'it', stats: Map<string, CollectionStats>, editable: boolean) {
  return {
    links: [
      { href: `${base}/collections?f=json`, rel: 'self', type: 'application/json', title: 'Collections' },
      { href: `${base}/collections?f=html`, rel: 'alternate', type: 'text/html', title: 'Collections (HTML)' },
    ],
    crs: SUPPORTED_CRS.map((x) => x.uri),
    collections: ASSET_TYPES.map((t) => collectionDoc(base, t, lang, stats.get(t.id), editable)),
  }
}

const GEOMETRY_REF: Record<AssetType['geometryType'], string> = {
  Point: 'https://geojson.org/schema/Point.json',
  LineString: 'https://geojson.org/schema/LineString.json',
  Polygon: 'https://geojson.org/schema/Polygon.json',
}

function attributeSchema(a: AttributeDef, lang: 'en' | 'it'): Record<string, unknown> {
  const s: Record<string, unknown> = { title: a.label[lang] }
  switch (a.kind) {
    case 'string': Object.assign(s, { type: 'string' }, a.maxLength ? { maxLength: a.maxLength } : {}); break
    case 'integer': Object.assign(s, { type: 'integer' }); break
    case 'number': Object.assign(s, { type: 'number' }); break
    case 'boolean': Object.assign(s, { type: 'boolean' }); break
    case 'date': Object.assign(s, { type: 'string', format: 'date' }); break
    case 'code': Object.assign(s, { type: 'string', enum: a.codes?.map((c) => c.code) }); break
    case 'ref': Object.assign(s, a.ref?.kind === 'feature' ? { type: 'integer', description: `id of a feature of ${a.ref.collections.join(', ')}` } : { type: 'string' }); break
  }
  if (a.min !== undefined) s.minimum = a.min
  if (a.max !== undefined) s.maximum = a.max
  if (a.unit) s.unit = a.unit
  return s
}

/** Part 3 queryables: a JSON Schema of what filters may name (only what the reader may see). */
export function queryablesDoc(base: string, t: AssetType, lang: 'en' | 'it', queryables: Queryables) {
  const properties: Record<string, unknown> = {
    id: { title: 'id', type: 'integer', 'x-ogc-role': 'id' },
    geometry: { title: 'geometry', $ref: GEOMETRY_REF[t.geometryType], 'x-ogc-role': 'primary-geometry' },
    updated: { title: lang === 'it' ? 'Ultima modifica' : 'Last change', type: 'string', format: 'date-time', 'x-ogc-role': 'primary-instant' },
  }
  for (const a of t.attributes) if (Object.prototype.hasOwnProperty.call(queryables, a.name)) properties[a.name] = attributeSchema(a, lang)
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${base}/collections/${t.id}/queryables`,
    type: 'object',
    title: t.title[lang],
    properties,
    additionalProperties: false,
  }
}

/** A GeoJSON feature of the census, in `crs` (axis order of the CRS), with `_version` in its properties (D1). */
export function featureJson(base: string, f: CensusFeature, crs: SupportedCrs) {
  const self = `${base}/collections/${f.collection}/items/${f.id}`
  return {
    type: 'Feature' as const,
    id: f.id,
    geometry: toCrsAxisOrder(f.geometry, crs),
    properties: { ...f.properties, [VERSION_PROPERTY]: f.version },
    links: [
      { href: `${self}?f=json`, rel: 'self', type: 'application/geo+json' },
      { href: `${base}/collections/${f.collection}`, rel: 'collection', type: 'application/json' },
    ],
  }
}

/** The JSON Schema of a collection's feature properties (attributes and `_version`). */
export function featureSchema(t: AssetType, lang: 'en' | 'it', full: boolean) {
  const properties: Record<string, unknown> = {}
  for (const a of visibleAttributes(t, full)) properties[a.name] = attributeSchema(a, lang)
  properties[VERSION_PROPERTY] = { type: 'integer', readOnly: true, title: lang === 'it' ? 'Versione' : 'Version' }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    title: t.title[lang],
    required: t.attributes.filter((a) => a.required).map((a) => a.name),
    properties,
  }
}

/**
 * The JSON Schema of a whole GeoJSON feature of the collection (`/collections/{id}/schema`, linked as
 * describedby): the attributes under `properties` with their types, so GDAL and QGIS type a field Real
 * even when the first page holds only whole numbers.
 */
export function featureDocumentSchema(base: string, t: AssetType, lang: 'en' | 'it', full: boolean) {
  const { $schema, title, ...props } = featureSchema(t, lang, full)
  return {
    $schema,
    $id: `${base}/collections/${t.id}/schema`,
    title,
    type: 'object',
    required: ['type', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer', 'x-ogc-role': 'id' },
      geometry: { $ref: GEOMETRY_REF[t.geometryType], 'x-ogc-role': 'primary-geometry' },
      properties: props,
    },
  }
}
