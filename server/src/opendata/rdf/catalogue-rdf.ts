/**
 * The catalogue as DCAT-AP_IT RDF (docs/opendata.md "RDF"): one page of datasets with everything each
 * needs on that page (publisher, contact point, licences), so a harvester reading any page alone gets
 * complete records; paging as ckanext-dcat does it, with hydra:PagedCollection (firstPage, lastPage,
 * nextPage, previousPage, and hydra:next for newer readers).
 *
 * Every resource is typed both as its DCAT (or FOAF, vCard) class and its DCAT-AP_IT subclass: the
 * national catalogue reads the dcatapit types, the SEMIC DCAT-AP shapes fire on the DCAT ones.
 */
import type { Quad, Quad_Object, Quad_Subject } from '@rdfjs/types'
import { DataFactory } from 'n3'
import { dataThemeIri, fileTypeIri, frequencyIri, LICENCES, type OpenDataCatalogue, type OpenDataset } from '../../../../contracts/opendata-api'
import { ns } from './namespaces'

const { namedNode, literal, quad, blankNode } = DataFactory
const rdf = ns('rdf')
const rdfs = ns('rdfs')
const dcat = ns('dcat')
const dct = ns('dct')
const dcatapit = ns('dcatapit')
const foaf = ns('foaf')
const vcard = ns('vcard')
const xsd = ns('xsd')
const geo = ns('geo')
const hydra = ns('hydra')
const skos = ns('skos')
const dcatap = (local: string) => namedNode(`http://data.europa.eu/r5r/${local}`)
const GEONAMES = namedNode('http://sws.geonames.org')
const STABLE = namedNode('http://publications.europa.eu/resource/authority/planned-availability/STABLE')
const LOCAL_AUTHORITY = namedNode('http://purl.org/adms/publishertype/LocalAuthority')
/** The catalogue's own metadata are open under CC BY 4.0, whatever each dataset's licence. */
const CATALOGUE_LICENCE = LICENCES['CC-BY-4.0'].iri

export const LANGUAGE_ITA = 'http://publications.europa.eu/resource/authority/language/ITA'
export const OGC_API_FEATURES = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core'

export interface CataloguePage {
  /** 1-based. */
  page: number
  pageSize: number
  /** The page's address without the page parameter, e.g. https://…/catalog.ttl */
  pageBase: string
}

const date = (ms: number) => literal(new Date(ms).toISOString().slice(0, 10), xsd('date'))
const mediaTypeIri = (mt: string) => namedNode(`https://www.iana.org/assignments/media-types/${mt.split(';')[0]!.trim()}`)

class Graph {
  readonly quads: Quad[] = []
  add(s: Quad_Subject, p: string | ReturnType<typeof rdf>, o: Quad_Object): void {
    this.quads.push(quad(s, typeof p === 'string' ? namedNode(p) : p, o))
  }
  types(s: Quad_Subject, ...classes: ReturnType<typeof rdf>[]): void {
    for (const c of classes) this.add(s, rdf('type'), c)
  }
  text(s: Quad_Subject, p: ReturnType<typeof rdf>, l: { it: string; en: string }): void {
    this.add(s, p, literal(l.it, 'it'))
    this.add(s, p, literal(l.en, 'en'))
  }
}

function bboxWkt([w, s, e, n]: [number, number, number, number]): string {
  return `POLYGON((${w} ${s},${e} ${s},${e} ${n},${w} ${n},${w} ${s}))`
}

function addDataset(g: Graph, base: string, d: OpenDataset, agent: Quad_Subject, contact: Quad_Subject, place: Quad_Subject): Quad_Subject {
  const s = namedNode(`${base}/opendata/datasets/${d.id}`)
  g.types(s, dcat('Dataset'), dcatapit('Dataset'))
  g.add(s, dct('identifier'), literal(d.identifier))
  g.text(s, dct('title'), d.title)
  g.text(s, dct('description'), d.description)
  if (d.modifiedMs !== null) g.add(s, dct('modified'), date(d.modifiedMs))
  if (d.issuedMs !== null) g.add(s, dct('issued'), date(d.issuedMs))
  for (const t of d.themes) g.add(s, dcat('theme'), namedNode(dataThemeIri(t)))
  g.add(s, dct('publisher'), agent)
  g.add(s, dct('rightsHolder'), agent)
  g.add(s, dct('accrualPeriodicity'), namedNode(frequencyIri(d.frequency)))
  g.add(s, dcat('contactPoint'), contact)
  g.add(s, dct('language'), namedNode(LANGUAGE_ITA))
  g.add(s, dcat('landingPage'), namedNode(`${base}/cittadini/dati/${d.id}`))
  g.types(namedNode(`${base}/cittadini/dati/${d.id}`), foaf('Document'))
  for (const k of d.keywords) g.add(s, dcat('keyword'), literal(k, 'it'))
  // Where the data come from, as a provenance statement (dct:source would have to name a dcat:Dataset).
  if (d.sources.length > 0) {
    const prov = blankNode(`provenance-${d.id}`)
    g.add(s, dct('provenance'), prov)
    g.types(prov, dct('ProvenanceStatement'))
    g.add(prov, rdfs('label'), literal(d.sources.join('; '), 'it'))
  }
  if (d.temporal) {
    const t = blankNode(`temporal-${d.id}`)
    g.add(s, dct('temporal'), t)
    g.types(t, dct('PeriodOfTime'))
    g.add(t, dcat('startDate'), date(d.temporal.startMs))
    g.add(t, dcat('endDate'), date(d.temporal.endMs))
  }
  g.add(s, dct('spatial'), place)
  if (d.bbox) {
    const [w, so, e, n] = d.bbox
    const loc = blankNode(`spatial-${d.id}`)
    g.add(s, dct('spatial'), loc)
    g.types(loc, dct('Location'))
    g.add(loc, dcat('bbox'), literal(bboxWkt(d.bbox), geo('wktLiteral')))
    g.add(loc, dcat('centroid'), literal(`POINT(${Math.round(((w + e) / 2) * 1e6) / 1e6} ${Math.round(((so + n) / 2) * 1e6) / 1e6})`, geo('wktLiteral')))
  }
  for (const dist of d.distributions) {
    const ds = namedNode(`${base}/opendata/datasets/${d.id}/distributions/${dist.format}`)
    g.add(s, dcat('distribution'), ds)
    g.types(ds, dcat('Distribution'), dcatapit('Distribution'))
    g.add(ds, dct('title'), literal(dist.title, 'it'))
    g.add(ds, dct('description'), literal(dist.format === 'api' ? `${d.title.it}: la collezione OGC API Features, sempre aggiornata.` : `${d.title.it} in formato ${dist.fileType}, aggiornato a ogni rigenerazione del dataset.`, 'it'))
    g.add(ds, dcatap('availability'), STABLE)
    g.add(ds, dcat('accessURL'), namedNode(dist.url))
    if (dist.format !== 'api') g.add(ds, dcat('downloadURL'), namedNode(dist.url))
    else {
      g.add(ds, dct('conformsTo'), namedNode(OGC_API_FEATURES))
      g.types(namedNode(OGC_API_FEATURES), dct('Standard'))
      g.add(namedNode(OGC_API_FEATURES), dct('title'), literal('OGC API - Features - Part 1: Core 1.0', 'en'))
    }
    g.add(ds, dct('format'), namedNode(fileTypeIri(dist.fileType)))
    g.add(ds, dcat('mediaType'), mediaTypeIri(dist.mediaType))
    const lic = LICENCES[dist.licence]
    g.add(ds, dct('license'), namedNode(lic.iri))
    if (dist.byteSize !== null) g.add(ds, dcat('byteSize'), literal(String(dist.byteSize), xsd('decimal')))
    if (dist.format !== 'api' && d.modifiedMs !== null) g.add(ds, dct('modified'), date(d.modifiedMs))
  }
  return s
}

/** The quads of one page of the catalogue. Datasets are in the catalogue's order; pages past the end are empty of datasets. */
export function catalogueQuads(c: OpenDataCatalogue, base: string, page: CataloguePage): Quad[] {
  const g = new Graph()
  const cat = namedNode(`${base}/catalog`)
  const agent = namedNode(`${base}/opendata/publisher`)
  const contact = namedNode(`${base}/opendata/contact-point`)
  g.types(cat, dcat('Catalog'), dcatapit('Catalog'))
  g.text(cat, dct('title'), c.title)
  g.text(cat, dct('description'), c.description)
  g.add(cat, dct('publisher'), agent)
  g.add(cat, dct('modified'), date(c.modifiedMs ?? Date.now()))
  const issued = c.datasets.map((d) => d.issuedMs).filter((x): x is number => x !== null)
  if (issued.length > 0) g.add(cat, dct('issued'), date(Math.min(...issued)))
  g.add(cat, dct('license'), namedNode(CATALOGUE_LICENCE))
  const place = namedNode(c.place.geonames)
  g.add(cat, dct('spatial'), place)
  g.types(place, dct('Location'))
  g.add(place, skos('prefLabel'), literal(c.place.name, 'it'))
  g.add(place, skos('inScheme'), GEONAMES)
  g.add(cat, foaf('homepage'), namedNode(c.homepage))
  g.types(namedNode(c.homepage), foaf('Document'))
  g.add(cat, dct('language'), namedNode(LANGUAGE_ITA))
  g.add(cat, dcat('themeTaxonomy'), namedNode('http://publications.europa.eu/resource/authority/data-theme'))

  g.types(agent, foaf('Agent'), dcatapit('Agent'))
  g.add(agent, foaf('name'), literal(c.publisher.name))
  g.add(agent, dct('identifier'), literal(c.publisher.ipaCode))
  g.add(agent, dct('type'), LOCAL_AUTHORITY)

  g.types(contact, vcard('Organization'), vcard('Kind'), dcatapit('Organization'))
  g.add(contact, vcard('fn'), literal(c.contact.name))
  g.add(contact, vcard('hasEmail'), namedNode(`mailto:${c.contact.email}`))

  const first = (page.page - 1) * page.pageSize
  const onPage = c.datasets.slice(first, first + page.pageSize)
  const licences = new Set<string>(['CC-BY-4.0'])
  for (const d of onPage) {
    g.add(cat, dcat('dataset'), addDataset(g, base, d, agent, contact, place))
    for (const dist of d.distributions) licences.add(dist.licence)
  }
  for (const key of [...licences].sort()) {
    const lic = LICENCES[key as keyof typeof LICENCES]
    g.types(namedNode(lic.iri), dct('LicenseDocument'))
    g.add(namedNode(lic.iri), foaf('name'), literal(lic.name))
  }

  const last = Math.max(1, Math.ceil(c.datasets.length / page.pageSize))
  const at = (p: number) => namedNode(`${page.pageBase}?page=${p}`)
  const coll = at(page.page)
  g.types(coll, hydra('PagedCollection'))
  g.add(coll, hydra('totalItems'), literal(String(c.datasets.length), xsd('integer')))
  g.add(coll, hydra('itemsPerPage'), literal(String(page.pageSize), xsd('integer')))
  g.add(coll, hydra('firstPage'), literal(at(1).value))
  g.add(coll, hydra('lastPage'), literal(at(last).value))
  if (page.page < last) {
    g.add(coll, hydra('nextPage'), literal(at(page.page + 1).value))
    g.add(coll, hydra('next'), at(page.page + 1))
  }
  if (page.page > 1) g.add(coll, hydra('previousPage'), literal(at(page.page - 1).value))
  return g.quads
}
