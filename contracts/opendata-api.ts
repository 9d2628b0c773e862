/**
 * Open data (issue 11, docs/opendata.md): the datasets Gemello publishes from the twin, their DCAT-AP_IT
 * metadata and their files, as the portal and any client read them. The same catalogue is served as
 * DCAT-AP_IT RDF (/catalog.ttl, /catalog.rdf, /catalog.jsonld) and through CKAN's API actions
 * (/api/3/action/…) for harvesters; those answers are shaped by the standards, not by zod, and are
 * described here only by their paths.
 *
 * Vocabularies are the ones the national catalogue (dati.gov.it) checks: licences from the Italian
 * controlled vocabulary (never C1_Unknown), themes, frequencies, file types and languages from the
 * EU Publications Office authority tables.
 */
import { z } from 'zod'
import type { RouteContract } from './api'

export const DATA_THEMES = ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'] as const
export const DataThemeSchema = z.enum(DATA_THEMES)
export type DataTheme = z.infer<typeof DataThemeSchema>
export const dataThemeIri = (t: DataTheme) => `http://publications.europa.eu/resource/authority/data-theme/${t}`

export const FREQUENCIES = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'ANNUAL', 'IRREG', 'UPDATE_CONT'] as const
export const FrequencySchema = z.enum(FREQUENCIES)
export type Frequency = z.infer<typeof FrequencySchema>
export const frequencyIri = (f: Frequency) => `http://publications.europa.eu/resource/authority/frequency/${f}`

/** The licences Gemello publishes under, as the Italian controlled vocabulary names them (licences.ttl). */
export const LICENCES = {
  'CC-BY-4.0': { iri: 'https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40', name: 'Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)', url: 'https://creativecommons.org/licenses/by/4.0/' },
  'IODL-2.0': { iri: 'https://w3id.org/italia/controlled-vocabulary/licences/A29_IODL20', name: 'Italian Open Data License v2.0', url: 'https://www.dati.gov.it/iodl/2.0/' },
  'ODbL-1.0': { iri: 'https://w3id.org/italia/controlled-vocabulary/licences/A310_ODBL', name: 'Open Data Commons Open Database License 1.0 (ODbL)', url: 'https://opendatacommons.org/licenses/odbl/1-0/' },
} as const
export type LicenceKey = keyof typeof LICENCES
export const LicenceKeySchema = z.enum(Object.keys(LICENCES) as [LicenceKey, ...LicenceKey[]])

/** The files of a dataset; `api` is not a file but the dataset's OGC API Features collection. */
export const DISTRIBUTION_FORMATS = ['csv', 'geojson', 'gpkg', 'api'] as const
export const DistributionFormatSchema = z.enum(DISTRIBUTION_FORMATS)
export type DistributionFormat = z.infer<typeof DistributionFormatSchema>
/** EU file-type authority code and IANA media type of each format. */
export const FORMAT_INFO: Record<DistributionFormat, { fileType: string; mediaType: string; extension: string | null }> = {
  csv: { fileType: 'CSV', mediaType: 'text/csv', extension: 'csv' },
  geojson: { fileType: 'GEOJSON', mediaType: 'application/geo+json', extension: 'geojson' },
  gpkg: { fileType: 'GPKG', mediaType: 'application/geopackage+sqlite3', extension: 'gpkg' },
  api: { fileType: 'GEOJSON', mediaType: 'application/geo+json', extension: null },
}
export const fileTypeIri = (code: string) => `http://publications.europa.eu/resource/authority/file-type/${code}`

/**
 * Column names no dataset may publish (compared lower-case with every non-letter removed): personal
 * data of citizens and staff, and the census's internal attributes. The guard (server/src/opendata/
 * privacy-guard.ts) also refuses a column a dataset did not declare and a value that looks like an
 * e-mail address or an Italian fiscal code, whatever its column is called.
 */
export const PERSONAL_DATA_DENY_LIST = [
  'email', 'mail', 'pec', 'phone', 'telephone', 'telefono', 'mobile', 'cellulare',
  'fiscalcode', 'codicefiscale', 'cf', 'taxcode', 'vat', 'partitaiva',
  'firstname', 'lastname', 'fullname', 'nome', 'cognome', 'surname', 'name_of_reporter', 'reporter', 'reportername',
  'birthdate', 'datanascita', 'dateofbirth', 'birthplace', 'luogonascita',
  'ipaddress', 'ip', 'devicetoken', 'account', 'username', 'userid', 'actor', 'assignee',
  'citizenref', 'pseudonym', 'sessionid', 'plate', 'targa', 'licenseplate', 'iban',
  // the census's attributes kept from the public (contracts/schemas/census.ts, public: false)
  'notes', 'internalnotes', 'supplypointcode', 'pod', 'depthm',
] as const
export const normaliseColumnName = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '')
const DENIED = new Set<string>(PERSONAL_DATA_DENY_LIST.map(normaliseColumnName))
export const isDeniedColumn = (name: string) => DENIED.has(normaliseColumnName(name))

const label = z.object({ it: z.string(), en: z.string() })

export const ColumnTypeSchema = z.enum(['string', 'integer', 'number', 'boolean', 'datetime', 'date'])
export const DatasetColumnSchema = z.object({ name: z.string(), type: ColumnTypeSchema, description: label, unit: z.string().nullable() })
export type DatasetColumn = z.infer<typeof DatasetColumnSchema>

export const DistributionSchema = z.object({
  format: DistributionFormatSchema,
  title: z.string(),
  /** Where it is read: the file (downloadURL) or the collection's items (accessURL). */
  url: z.string(),
  mediaType: z.string(),
  fileType: z.string(),
  byteSize: z.number().int().nullable(),
  sha256: z.string().nullable(),
  licence: LicenceKeySchema,
})
export type Distribution = z.infer<typeof DistributionSchema>

export const DatasetStatusSchema = z.enum(['published', 'refused', 'pending'])

export const OpenDatasetSchema = z.object({
  id: z.string(),
  /** dct:identifier: the IPA code of the publisher, ':' and the id (DCAT-AP_IT). */
  identifier: z.string(),
  title: label,
  description: label,
  keywords: z.array(z.string()),
  themes: z.array(DataThemeSchema).min(1),
  frequency: FrequencySchema,
  licence: LicenceKeySchema,
  /** Where the data come from, as their licences ask to be credited. */
  sources: z.array(z.string()),
  geometry: z.enum(['Point', 'LineString', 'Polygon', 'MultiPolygon']).nullable(),
  columns: z.array(DatasetColumnSchema),
  status: DatasetStatusSchema,
  /** Why the last refresh was not published (the privacy guard's refusal, an error); null when published. */
  refusal: z.string().nullable(),
  issuedMs: z.number().nullable(),
  /** When the content last changed (not merely regenerated): dct:modified. */
  modifiedMs: z.number().nullable(),
  refreshedMs: z.number().nullable(),
  rowCount: z.number().int().nullable(),
  temporal: z.object({ startMs: z.number(), endMs: z.number() }).nullable(),
  /** [west, south, east, north] EPSG:4326. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  distributions: z.array(DistributionSchema),
})
export type OpenDataset = z.infer<typeof OpenDatasetSchema>

export const ValidationFindingSchema = z.object({
  severity: z.enum(['violation', 'warning', 'info']),
  focusNode: z.string(),
  path: z.string().nullable(),
  message: z.string(),
  shape: z.string().nullable(),
  value: z.string().nullable(),
})
export const CatalogueValidationSchema = z.object({
  atMs: z.number(),
  /** Whether the SHACL shapes were available (the specs folder); false: not validated. */
  validated: z.boolean(),
  conforms: z.boolean(),
  violations: z.array(ValidationFindingSchema),
  warnings: z.array(ValidationFindingSchema),
  note: z.string().nullable(),
})
export type CatalogueValidation = z.infer<typeof CatalogueValidationSchema>

export const OpenDataCatalogueSchema = z.object({
  title: label,
  description: label,
  publisher: z.object({ name: z.string(), ipaCode: z.string() }),
  /** The place every dataset covers: the comune, as its GeoNames resource (dct:spatial). */
  place: z.object({ name: z.string(), geonames: z.string() }),
  contact: z.object({ name: z.string(), email: z.string() }),
  homepage: z.string(),
  modifiedMs: z.number().nullable(),
  datasets: z.array(OpenDatasetSchema),
  validation: CatalogueValidationSchema.nullable(),
  /** RDF and CKAN addresses, for the portal's "for developers" box. */
  links: z.object({ turtle: z.string(), rdfXml: z.string(), jsonLd: z.string(), ckan: z.string() }),
})
export type OpenDataCatalogue = z.infer<typeof OpenDataCatalogueSchema>

export const OpenDatasetParamsSchema = z.object({ id: z.string().regex(/^[a-z0-9-]{1,80}$/, 'a dataset id is lower-case letters, digits and "-"') })
export const OpenDataFileParamsSchema = z.object({
  id: OpenDatasetParamsSchema.shape.id,
  format: z.enum(['csv', 'geojson', 'gpkg']),
})

export const OPENDATA_ROUTES = {
  openDataCatalogue: { method: 'get', path: '/api/opendata', permission: 'opendata:read', operationId: 'openDataCatalogue', summary: 'The open-data catalogue: every dataset with its DCAT-AP_IT metadata and files, and the last SHACL validation', tags: ['opendata'], response: OpenDataCatalogueSchema, errors: [] },
  openDataset: { method: 'get', path: '/api/opendata/datasets/:id', permission: 'opendata:read', operationId: 'openDataset', summary: 'One open dataset with its metadata and files', tags: ['opendata'], params: OpenDatasetParamsSchema, response: OpenDatasetSchema, errors: ['VALIDATION_FAILED', 'DATASET_NOT_FOUND'] },
  openDataFile: { method: 'get', path: '/opendata/datasets/:id/data.:format', permission: 'opendata:read', operationId: 'openDataFile', summary: 'A dataset file (CSV, GeoJSON, GeoPackage) as last published; ETag is its SHA-256', tags: ['opendata'], params: OpenDataFileParamsSchema, response: z.string().describe('the file'), contentType: 'application/octet-stream', errors: ['VALIDATION_FAILED', 'DATASET_NOT_FOUND'] },
} as const satisfies Record<string, RouteContract>
