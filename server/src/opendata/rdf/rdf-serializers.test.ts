// Round trips for the three catalogue serializations: a small DCAT-AP_IT-like graph is written as
// Turtle, RDF/XML and JSON-LD, parsed back with an independent parser, and compared to the input as
// RDF (isomorphism via RDFC-1.0 canonical N-Quads, so blank-node labels may differ).
import { describe, expect, it } from 'vitest'
import { DataFactory, Parser, Writer } from 'n3'
import jsonld from 'jsonld'
import type { JsonLdDocument } from 'jsonld'
import { RdfXmlParser } from 'rdfxml-streaming-parser'
import type { Quad } from '@rdfjs/types'
import { ns, PREFIXES } from './namespaces'
import { toTurtle } from './turtle-writer'
import { RdfXmlError, toRdfXml } from './rdfxml-writer'
import { refuseRemoteDocuments, toJsonLd } from './jsonld-writer'

const { namedNode, blankNode, literal, quad } = DataFactory
const rdf = ns('rdf')
const dcat = ns('dcat')
const dct = ns('dct')
const dcatapit = ns('dcatapit')
const xsd = ns('xsd')
const vcard = ns('vcard')
const locn = ns('locn')
const geo = ns('geo')

const TRICKY_TEXT = `Valori <&> "doppi" e 'singoli'\nseconda riga\tcon tab\r\nCittà — è`
const BAD_LOCAL_PREDICATE = 'http://example.org/ns#1bad'
const SLASH_PREDICATE = 'http://example.org/a/b/'

function dcatGraph(): Quad[] {
  const catalog = namedNode('https://dati.comune.example.it/catalog')
  const dataset = namedNode('https://dati.comune.example.it/dataset/aria')
  const location = namedNode('https://dati.comune.example.it/place/centro')
  const period = blankNode('period')
  const contact = blankNode('contact')
  return [
    quad(catalog, rdf('type'), dcatapit('Catalog')),
    quad(catalog, rdf('type'), dcat('Catalog')),
    quad(catalog, dct('title'), literal('Catalogo dei dati aperti', 'it')),
    quad(catalog, dct('title'), literal('Open data catalogue', 'en')),
    quad(catalog, dcat('dataset'), dataset),
    quad(dataset, rdf('type'), dcatapit('Dataset')),
    quad(dataset, dct('title'), literal("Qualità dell'aria", 'it')),
    quad(dataset, dct('description'), literal(TRICKY_TEXT)),
    quad(dataset, dct('issued'), literal('2024-01-15', xsd('date'))),
    quad(dataset, dcat('spatialResolutionInMeters'), literal('12.5', xsd('decimal'))),
    quad(dataset, dct('temporal'), period),
    quad(dataset, dct('spatial'), location),
    quad(dataset, dcat('contactPoint'), contact),
    quad(dataset, namedNode(BAD_LOCAL_PREDICATE), literal('local name starts with a digit')),
    quad(location, rdf('type'), dct('Location')),
    quad(location, locn('geometry'), literal('POINT(11.3426 44.4949)', geo('wktLiteral'))),
    quad(period, rdf('type'), dct('PeriodOfTime')),
    quad(period, dcat('startDate'), literal('2024-01-01', xsd('date'))),
    quad(period, dcat('endDate'), literal('2024-12-31', xsd('date'))),
    quad(contact, rdf('type'), vcard('Organization')),
    quad(contact, vcard('fn'), literal('Ufficio Open Data')),
    quad(contact, vcard('hasEmail'), namedNode('mailto:opendata@comune.example.it')),
  ]
}

function withSlashPredicate(graph: Quad[]): Quad[] {
  return [...graph, quad(namedNode('https://dati.comune.example.it/catalog'), namedNode(SLASH_PREDICATE), literal('x'))]
}

function toNQuads(quads: readonly Quad[]): string {
  return new Writer({ format: 'N-Quads' }).quadsToString([...quads])
}

/** RDFC-1.0 canonical N-Quads: equal strings ⇔ isomorphic graphs. */
async function canonical(quads: readonly Quad[]): Promise<string> {
  // @types/jsonld types `input` as a JSON-LD document only; jsonld 9 takes N-Quads text with inputFormat.
  const input = toNQuads(quads) as unknown as JsonLdDocument
  return jsonld.canonize(input, {
    inputFormat: 'application/n-quads',
    format: 'application/n-quads',
  })
}

function parseRdfXml(xml: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const parser = new RdfXmlParser()
    const quads: Quad[] = []
    parser.on('data', (q: Quad) => quads.push(q))
    parser.on('error', reject)
    parser.on('end', () => resolve(quads))
    parser.write(xml)
    parser.end()
  })
}

async function parseJsonLd(doc: object): Promise<Quad[]> {
  const nquads = await jsonld.toRDF(doc, { format: 'application/n-quads', documentLoader: refuseRemoteDocuments })
  if (typeof nquads !== 'string') throw new Error('jsonld.toRDF did not return N-Quads text')
  return new Parser({ format: 'N-Quads' }).parse(nquads)
}

/** The same graph with its two blank-node labels swapped: isomorphic, so it must serialize the same. */
function withSwappedBlankLabels(graph: Quad[]): Quad[] {
  const swap = (label: string) => blankNode(label === 'period' ? 'contact' : 'period')
  return graph.map((q) =>
    quad(
      q.subject.termType === 'BlankNode' ? swap(q.subject.value) : q.subject,
      q.predicate,
      q.object.termType === 'BlankNode' ? swap(q.object.value) : q.object,
    ),
  )
}

describe('canonical (test helper)', () => {
  it('ignores blank-node labels', async () => {
    expect(await canonical(withSwappedBlankLabels(dcatGraph()))).toBe(await canonical(dcatGraph()))
  })

  it('tells different graphs apart', async () => {
    const endDate = literal('2025-12-31', xsd('date'))
    const changed = dcatGraph().map((q) =>
      q.object.value === '2024-12-31' ? quad(q.subject, q.predicate, endDate) : q,
    )
    expect(await canonical(changed)).not.toBe(await canonical(dcatGraph()))
  })
})

describe('toTurtle', () => {
  it('round-trips the graph through n3 Parser', async () => {
    const graph = withSlashPredicate(dcatGraph())
    const parsed = new Parser({ format: 'text/turtle' }).parse(toTurtle(graph))
    expect(parsed).toHaveLength(graph.length)
    expect(await canonical(parsed)).toBe(await canonical(graph))
  })

  it('gives the same bytes for the same graph in any order and with any blank-node labels', () => {
    const graph = dcatGraph()
    expect(toTurtle(graph)).toBe(toTurtle(dcatGraph()))
    expect(toTurtle(withSwappedBlankLabels(graph).reverse())).toBe(toTurtle(graph))
  })

  it('declares only the prefixes the graph uses', () => {
    const turtle = toTurtle(dcatGraph())
    expect(turtle).toContain('@prefix dcat: <http://www.w3.org/ns/dcat#>.')
    expect(turtle).not.toContain('@prefix hydra:')
  })
})

describe('toRdfXml', () => {
  it('round-trips the graph through rdfxml-streaming-parser', async () => {
    const graph = dcatGraph()
    const parsed = await parseRdfXml(toRdfXml(graph))
    expect(parsed).toHaveLength(graph.length)
    expect(await canonical(parsed)).toBe(await canonical(graph))
  })

  it('gives the same bytes for the same graph in any order and with any blank-node labels', () => {
    const graph = dcatGraph()
    expect(toRdfXml(graph)).toBe(toRdfXml(dcatGraph()))
    expect(toRdfXml(withSwappedBlankLabels(graph).reverse())).toBe(toRdfXml(graph))
  })

  it('declares exactly the namespaces it uses, plus a generated one for a non-NCName local part', () => {
    const xml = toRdfXml(dcatGraph())
    const declared = Object.fromEntries([...xml.matchAll(/xmlns:(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    // Only predicates are QNames: classes (dcatapit:) and datatypes (xsd:, geo:) stay full IRIs.
    expect(Object.keys(declared).sort()).toEqual(['dcat', 'dct', 'locn', 'ns1', 'rdf', 'vcard'])
    expect(declared.ns1).toBe('http://example.org/ns#1')
    expect(xml).toContain('<ns1:bad>local name starts with a digit</ns1:bad>')
    expect(declared.dct).toBe(PREFIXES.dct)
  })

  it('escapes markup, quotes and carriage returns, and keeps non-ASCII text as is', () => {
    const xml = toRdfXml(dcatGraph())
    expect(xml).toContain(
      'Valori &lt;&amp;&gt; &quot;doppi&quot; e &apos;singoli&apos;\nseconda riga\tcon tab&#13;\nCittà — è',
    )
  })

  it('writes blank nodes after IRIs, with rdf:nodeID', () => {
    const xml = toRdfXml(dcatGraph())
    const subjects = [...xml.matchAll(/<rdf:Description (rdf:about|rdf:nodeID)="([^"]*)"/g)].map((m) => m[1])
    expect(subjects).toEqual(['rdf:about', 'rdf:about', 'rdf:about', 'rdf:nodeID', 'rdf:nodeID'])
  })

  it('refuses characters XML 1.0 cannot carry', () => {
    const graph = [quad(namedNode('https://example.org/d'), dct('title'), literal('bell\u0007'))]
    expect(() => toRdfXml(graph)).toThrow(RdfXmlError)
    expect(() => toRdfXml(graph)).toThrow(/U\+0007/)
  })

  it('refuses a predicate with no NCName suffix, which RDF/XML cannot express', () => {
    expect(() => toRdfXml(withSlashPredicate(dcatGraph()))).toThrow(RdfXmlError)
  })
})

describe('toJsonLd', () => {
  it('round-trips the graph through jsonld.toRDF', async () => {
    const graph = withSlashPredicate(dcatGraph())
    const parsed = await parseJsonLd(await toJsonLd(graph))
    expect(parsed).toHaveLength(graph.length)
    expect(await canonical(parsed)).toBe(await canonical(graph))
  })

  it('gives the same JSON for the same graph in any order and with any blank-node labels', async () => {
    const graph = dcatGraph()
    const expected = JSON.stringify(await toJsonLd(graph))
    expect(JSON.stringify(await toJsonLd(dcatGraph()))).toBe(expected)
    expect(JSON.stringify(await toJsonLd(withSwappedBlankLabels(graph).reverse()))).toBe(expected)
  })

  it('has an inline context and a "@graph", even for a single node', async () => {
    const doc = (await toJsonLd([quad(namedNode('https://example.org/d'), dct('title'), literal('x'))])) as Record<
      string,
      unknown
    >
    expect(doc['@context']).toEqual({ dct: PREFIXES.dct })
    expect(doc['@graph']).toEqual([{ '@id': 'https://example.org/d', 'dct:title': 'x' }])
  })

  it('leaves out a prefix that is also the scheme of an IRI in the graph (geo: URIs)', async () => {
    const place = namedNode('geo:44.4949,11.3426')
    const graph = [
      quad(namedNode('https://example.org/d'), dct('spatial'), place),
      quad(place, locn('geometry'), literal('POINT(11.3426 44.4949)', geo('wktLiteral'))),
    ]
    const doc = (await toJsonLd(graph)) as Record<string, unknown>
    expect(Object.keys(doc['@context'] as object).sort()).toEqual(['dct', 'locn'])
    expect(await canonical(await parseJsonLd(doc))).toBe(await canonical(graph))
  })

  it('never fetches a remote context', async () => {
    const remote = { '@context': 'https://example.org/context.jsonld', '@id': 'https://example.org/d' }
    await expect(jsonld.toRDF(remote, { documentLoader: refuseRemoteDocuments })).rejects.toThrow()
  })
})
