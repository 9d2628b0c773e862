// The RDF namespaces of DCAT-AP_IT (the profile dati.gov.it harvests), declared once so the Turtle,
// RDF/XML and JSON-LD writers abbreviate IRIs with the same prefixes and the catalogue code builds
// terms as `dcat('Dataset')` instead of spelling IRIs by hand.
import { DataFactory } from 'n3'
import type { NamedNode, Quad } from '@rdfjs/types'

export const PREFIXES: Record<string, string> = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatapit: 'http://dati.gov.it/onto/dcatapit#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  adms: 'http://www.w3.org/ns/adms#',
  spdx: 'http://spdx.org/rdf/terms#',
  locn: 'http://www.w3.org/ns/locn#',
  geo: 'http://www.opengis.net/ont/geosparql#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  owl: 'http://www.w3.org/2002/07/owl#',
  schema: 'http://schema.org/',
}

/** `ns('dcat')('Dataset')` → NamedNode <http://www.w3.org/ns/dcat#Dataset>. Unknown prefix: programmer error. */
export function ns(prefix: string): (local: string) => NamedNode {
  const base = PREFIXES[prefix]
  if (base === undefined) throw new Error(`Unknown RDF prefix "${prefix}"; known: ${Object.keys(PREFIXES).join(', ')}`)
  return (local) => DataFactory.namedNode(base + local)
}

// Datatypes no serialization spells out: plain and language-tagged strings.
const IMPLICIT_DATATYPES = new Set([
  'http://www.w3.org/2001/XMLSchema#string',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString',
])

/** Every IRI a serialization of the graph may spell out: nodes, predicates and explicit datatypes. */
export function irisOf(quads: readonly Quad[]): Set<string> {
  const iris = new Set<string>()
  for (const { subject, predicate, object } of quads) {
    for (const term of [subject, predicate, object]) {
      if (term.termType === 'NamedNode') iris.add(term.value)
      if (term.termType === 'Literal' && !IMPLICIT_DATATYPES.has(term.datatype.value)) iris.add(term.datatype.value)
    }
  }
  return iris
}

/** The subset of PREFIXES (same order) whose namespace begins at least one IRI of the graph. */
export function prefixesUsedBy(quads: readonly Quad[]): Record<string, string> {
  const iris = [...irisOf(quads)]
  return Object.fromEntries(
    Object.entries(PREFIXES).filter(([, namespace]) =>
      iris.some((iri) => iri.startsWith(namespace) && iri.length > namespace.length),
    ),
  )
}
