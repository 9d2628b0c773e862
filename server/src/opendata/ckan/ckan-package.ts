/**
 * A dataset as CKAN's package dictionary (docs/opendata.md "CKAN API"), the shape CKAN harvesters copy
 * from package_show / package_search: the core fields (id, name, title, notes, owner_org, organization,
 * license_*, tags, resources, metadata_created/modified) plus the DCAT-AP_IT fields of ckanext-dcatapit
 * at the top level (identifier, theme, publisher_*, holder_*, frequency, modified, issued, language,
 * temporal_coverage, geographical_*). Those are schema fields there: repeating them in `extras` would
 * make a receiving CKAN refuse the package ("There is a schema field with the same name"), so extras
 * hold only `spatial` (the bounding box as GeoJSON, as ckanext-spatial reads it).
 */
import { LICENCES, type LicenceKey, type OpenDataCatalogue, type OpenDataset } from '../../../../contracts/opendata-api'

const CKAN_LICENCE_ID: Record<LicenceKey, string> = { 'CC-BY-4.0': 'cc-by-4.0', 'IODL-2.0': 'iodl-2.0', 'ODbL-1.0': 'odc-odbl' }
const CKAN_FORMAT = { csv: 'CSV', geojson: 'GeoJSON', gpkg: 'GPKG', api: 'OGC API Features' } as const
/** GeoNames feature of the comune of Bologna. */
export const BOLOGNA_GEONAMES = 'http://www.geonames.org/3181928'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace('Z', ''))
const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10))

export interface CkanContext {
  publisher: OpenDataCatalogue['publisher']
  contact: OpenDataCatalogue['contact']
  base: string
}

export function organization(c: CkanContext) {
  return {
    id: c.publisher.ipaCode,
    name: c.publisher.ipaCode,
    title: c.publisher.name,
    type: 'organization',
    description: '',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    identifier: c.publisher.ipaCode,
  }
}

export function ckanPackage(d: OpenDataset, c: CkanContext) {
  const lic = LICENCES[d.licence]
  const [w, s, e, n] = d.bbox ?? [0, 0, 0, 0]
  const resources = d.distributions.map((dist, i) => ({
    id: `${d.id}-${dist.format}`,
    package_id: d.id,
    name: dist.title,
    description: '',
    url: dist.url,
    format: CKAN_FORMAT[dist.format],
    distribution_format: dist.fileType,
    mimetype: dist.mediaType,
    size: dist.byteSize,
    hash: dist.sha256 ? `sha256:${dist.sha256}` : '',
    license_type: LICENCES[dist.licence].iri,
    position: i,
    state: 'active',
    created: iso(d.issuedMs),
    last_modified: iso(d.modifiedMs),
    url_type: null,
  }))
  return {
    id: d.id,
    name: d.id,
    title: d.title.it,
    notes: d.description.it,
    type: 'dataset',
    state: 'active',
    private: false,
    url: `${c.base}/cittadini/dati/${d.id}`,
    version: null,
    author: c.publisher.name,
    author_email: null,
    maintainer: c.contact.name,
    maintainer_email: c.contact.email,
    owner_org: c.publisher.ipaCode,
    organization: organization(c),
    license_id: CKAN_LICENCE_ID[d.licence],
    license_title: lic.name,
    license_url: lic.url,
    metadata_created: iso(d.issuedMs),
    metadata_modified: iso(d.modifiedMs),
    tags: d.keywords.map((k) => ({ name: k, display_name: k, state: 'active', vocabulary_id: null })),
    num_tags: d.keywords.length,
    groups: [],
    resources,
    num_resources: resources.length,
    // ckanext-dcatapit's fields
    identifier: d.identifier,
    theme: JSON.stringify(d.themes.map((t) => ({ theme: t, subthemes: [] }))),
    publisher_name: c.publisher.name,
    publisher_identifier: c.publisher.ipaCode,
    holder_name: c.publisher.name,
    holder_identifier: c.publisher.ipaCode,
    frequency: d.frequency,
    modified: day(d.modifiedMs),
    issued: day(d.issuedMs),
    language: '{ITA}',
    temporal_coverage: d.temporal ? JSON.stringify([{ temporal_start: day(d.temporal.startMs), temporal_end: day(d.temporal.endMs) }]) : null,
    geographical_name: 'ITA_BOL',
    geographical_geonames_url: BOLOGNA_GEONAMES,
    extras: d.bbox
      ? [{ key: 'spatial', value: JSON.stringify({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] }) }]
      : [],
  }
}
export type CkanPackage = ReturnType<typeof ckanPackage>
