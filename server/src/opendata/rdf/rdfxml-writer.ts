// RDF/XML for harvesters that only read that format (dati.gov.it's CKAN among them), written by hand
// because no JavaScript library writes it well. The output is the flat, "striped once" form: one
// rdf:Description per subject (IRIs first, then blank nodes), each property element holding an
// rdf:resource, an rdf:nodeID or a literal. Same graph → same bytes (quads go through `sortQuads`).
//
// Decisions:
// - Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, lone surrogates,
//   U+FFFE/U+FFFF) throw an RdfXmlError naming the subject and predicate: not even &#x..; may encode
//   them, and silently replacing them would make the RDF/XML disagree with the Turtle and JSON-LD of
//   the same graph. Clean such text where it enters the catalogue.
// - Predicates become QNames: the longest DCAT-AP_IT namespace whose remainder is an NCName, otherwise
//   the IRI is split before its longest NCName suffix and that namespace gets a generated prefix
//   ns1, ns2… (numbered in sorted IRI order). A predicate with no NCName suffix (e.g. ending in "/")
//   cannot be written in RDF/XML at all and throws, as do rdf:li and the RDF/XML syntax names.
// - Blank nodes are relabelled b1, b2… in output order, so rdf:nodeID is always a valid NCName.
// - Only the namespaces actually used are declared (rdf always: it names the root element).
import type { Quad, Term } from '@rdfjs/types'
import { PREFIXES } from './namespaces'
import { sortQuads } from './turtle-writer'

export class RdfXmlError extends Error {
  override readonly name = 'RdfXmlError'
}

const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string'
// Names in the rdf: namespace that RDF/XML reserves for its own syntax (or rewrites, like rdf:li).
const RDF_SYNTAX_NAMES = new Set([
  'RDF', 'Description', 'ID', 'about', 'parseType', 'resource', 'nodeID', 'datatype', 'li',
  'bagID', 'aboutEach', 'aboutEachPrefix',
])

const NAME_START =
  'A-Z_a-z\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2FF}\\u{370}-\\u{37D}\\u{37F}-\\u{1FFF}\\u{200C}-\\u{200D}' +
  '\\u{2070}-\\u{218F}\\u{2C00}-\\u{2FEF}\\u{3001}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFFD}\\u{10000}-\\u{EFFFF}'
const NAME_CHAR = `${NAME_START}\\-.0-9\\u{B7}\\u{300}-\\u{36F}\\u{203F}-\\u{2040}`
const NCNAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u')
// Leftmost match that runs to the end of the string = the longest NCName suffix.
const NCNAME_SUFFIX = new RegExp(`[${NAME_START}][${NAME_CHAR}]*$`, 'u')
// Everything outside XML 1.0's Char production.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

const ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;',
  '\r': '&#13;', '\n': '&#10;', '\t': '&#9;',
}

/** Escape for element content (keeps LF and tab readable) or for an attribute value (escapes them too). */
function escapeXml(value: string, inAttribute: boolean): string {
  return value.replace(inAttribute ? /[&<>"'\r\n\t]/g : /[&<>"'\r]/g, (char) => ESCAPES[char] ?? char)
}

function assertXmlChars(value: string, where: () => string): void {
  const bad = NOT_XML_CHAR.exec(value)
  if (!bad) return
  const codePoint = bad[0].codePointAt(0) ?? 0
  throw new RdfXmlError(
    `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML 1.0 (${where()})`,
  )
}

interface QName {
  prefix: string
  local: string
}

/** Map every predicate IRI to a QName, generating ns1, ns2… for namespaces outside PREFIXES. */
function predicateQNames(predicates: readonly string[]): {
  qnames: Map<string, QName>
  generated: Map<string, string>
} {
  const known = Object.entries(PREFIXES).sort(([, a], [, b]) => b.length - a.length)
  const qnames = new Map<string, QName>()
  const generated = new Map<string, string>() // namespace → prefix
  for (const iri of [...predicates].sort()) {
    let qname: QName | undefined
    for (const [prefix, namespace] of known) {
      if (iri.startsWith(namespace) && NCNAME.test(iri.slice(namespace.length))) {
        qname = { prefix, local: iri.slice(namespace.length) }
        break
      }
    }
    if (!qname) {
      const suffix = NCNAME_SUFFIX.exec(iri)
      if (!suffix) throw new RdfXmlError(`Predicate <${iri}> has no NCName suffix, so RDF/XML cannot express it`)
      const namespace = iri.slice(0, suffix.index)
      const prefix = generated.get(namespace) ?? `ns${generated.size + 1}`
      generated.set(namespace, prefix)
      qname = { prefix, local: suffix[0] }
    }
    if (iri.startsWith(RDF_NS) && RDF_SYNTAX_NAMES.has(iri.slice(RDF_NS.length))) {
      throw new RdfXmlError(`Predicate <${iri}> is RDF/XML syntax and cannot be written as a property element`)
    }
    qnames.set(iri, qname)
  }
  return { qnames, generated }
}

function describe(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : `<${term.value}>`
}

/** Serialize a default-graph array of quads as RDF/XML. Throws RdfXmlError for what RDF/XML cannot hold. */
export function toRdfXml(quads: readonly Quad[]): string {
  const sorted = sortQuads(quads)
  const { qnames, generated } = predicateQNames([...new Set(sorted.map((q) => q.predicate.value))])

  const nodeIds = new Map<string, string>()
  const nodeId = (label: string): string => {
    let id = nodeIds.get(label)
    if (id === undefined) {
      id = `b${nodeIds.size + 1}`
      nodeIds.set(label, id)
    }
    return id
  }
  const nodeAttribute = (term: Term, attribute: 'about' | 'resource'): string =>
    term.termType === 'BlankNode'
      ? `rdf:nodeID="${nodeId(term.value)}"`
      : `rdf:${attribute}="${escapeXml(term.value, true)}"`

  const usedPrefixes = new Set<string>(['rdf'])
  const body: string[] = []
  let subject: Term | undefined
  for (const { subject: s, predicate, object } of sorted) {
    const where = () => `subject ${describe(s)}, predicate <${predicate.value}>`
    if (!subject || !subject.equals(s)) {
      if (subject) body.push('  </rdf:Description>')
      assertXmlChars(s.value, where)
      body.push(`  <rdf:Description ${nodeAttribute(s, 'about')}>`)
      subject = s
    }
    const qname = qnames.get(predicate.value)
    if (!qname) throw new Error(`No QName computed for <${predicate.value}>`)
    usedPrefixes.add(qname.prefix)
    const element = `${qname.prefix}:${qname.local}`
    assertXmlChars(object.value, where)
    if (object.termType === 'NamedNode' || object.termType === 'BlankNode') {
      body.push(`    <${element} ${nodeAttribute(object, 'resource')}/>`)
    } else if (object.termType === 'Literal') {
      let attributes = ''
      if (object.language) attributes = ` xml:lang="${escapeXml(object.language, true)}"`
      else if (object.datatype.value !== XSD_STRING) {
        assertXmlChars(object.datatype.value, where)
        attributes = ` rdf:datatype="${escapeXml(object.datatype.value, true)}"`
      }
      body.push(`    <${element}${attributes}>${escapeXml(object.value, false)}</${element}>`)
    } else {
      throw new RdfXmlError(`Object of kind ${object.termType} cannot be written in RDF/XML (${where()})`)
    }
  }
  if (subject) body.push('  </rdf:Description>')

  const namespaces = new Map<string, string>()
  for (const prefix of usedPrefixes) {
    const namespace = PREFIXES[prefix]
    if (namespace !== undefined) namespaces.set(prefix, namespace)
  }
  for (const [namespace, prefix] of generated) {
    if (usedPrefixes.has(prefix)) namespaces.set(prefix, namespace)
  }
  const xmlns = [...namespaces.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([prefix, namespace]) => {
      assertXmlChars(namespace, () => `namespace of prefix ${prefix}`)
      return `\n    xmlns:${prefix}="${escapeXml(namespace, true)}"`
    })
    .join('')

  return ['<?xml version="1.0" encoding="utf-8"?>', `<rdf:RDF${xmlns}>`, ...body, '</rdf:RDF>', ''].join('\n')
}
