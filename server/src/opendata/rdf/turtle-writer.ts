// Turtle for DCAT-AP_IT harvesters, written by n3's Writer with the DCAT-AP_IT prefixes it needs.
// `sortQuads` (shared with the RDF/XML and JSON-LD writers) makes the bytes a function of the graph:
// duplicates dropped, blank nodes relabelled b1, b2… breadth-first from the IRI subjects (so a graph
// rebuilt with fresh DataFactory.blankNode() labels serializes the same; only blank siblings under the
// same subject and predicate keep their input order), then quads sorted by subject (IRIs before blank
// nodes), predicate (rdf:type first) and object.
import { DataFactory, Writer } from 'n3'
import type { Quad, Term } from '@rdfjs/types'
import { prefixesUsedBy } from './namespaces'

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
const TERM_RANK: Record<string, number> = { NamedNode: 0, BlankNode: 1, Literal: 2 }
const UNLABELLED = '\uFFFF' // sorts after every assigned label; all unlabelled blank nodes tie

type Labels = ReadonlyMap<string, string>

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Kind, then value (blank nodes by their assigned label), then datatype and language. */
function compareTerms(a: Term, b: Term, labels: Labels): number {
  const byKind = (TERM_RANK[a.termType] ?? 9) - (TERM_RANK[b.termType] ?? 9)
  if (byKind !== 0) return byKind
  if (a.termType === 'BlankNode') {
    return compareStrings(labels.get(a.value) ?? UNLABELLED, labels.get(b.value) ?? UNLABELLED)
  }
  const byValue = compareStrings(a.value, b.value)
  if (byValue !== 0 || a.termType !== 'Literal' || b.termType !== 'Literal') return byValue
  return compareStrings(a.datatype.value, b.datatype.value) || compareStrings(a.language, b.language)
}

function compareQuads(a: Quad, b: Quad, labels: Labels): number {
  const aType = a.predicate.value === RDF_TYPE
  const bType = b.predicate.value === RDF_TYPE
  return (
    compareTerms(a.subject, b.subject, labels) ||
    (aType === bType ? compareTerms(a.predicate, b.predicate, labels) : aType ? -1 : 1) ||
    compareTerms(a.object, b.object, labels)
  )
}

function termKey(term: Term): string {
  if (term.termType === 'Literal') return `L${term.value}\u0000${term.datatype.value}\u0000${term.language}`
  return `${term.termType.charAt(0)}${term.value}`
}

/** Breadth-first labels: objects of already-placed subjects first, then the first unreached blank subject. */
function blankNodeLabels(quads: Quad[]): Map<string, string> {
  const labels = new Map<string, string>()
  const order = [...quads]
  for (;;) {
    order.sort((a, b) => compareQuads(a, b, labels))
    const placed = new Set(labels.keys())
    const before = labels.size
    for (const { subject, object } of order) {
      const subjectPlaced = subject.termType !== 'BlankNode' || placed.has(subject.value)
      if (subjectPlaced && object.termType === 'BlankNode' && !labels.has(object.value)) {
        labels.set(object.value, `b${labels.size + 1}`)
      }
    }
    if (labels.size > before) continue
    const root = order.find((q) => q.subject.termType === 'BlankNode' && !labels.has(q.subject.value))
    if (!root) return labels
    labels.set(root.subject.value, `b${labels.size + 1}`)
  }
}

/**
 * The graph as a sorted set with stable blank-node labels (see the header).
 * Throws for quads outside the default graph — these writers serialize one graph, not a dataset.
 */
export function sortQuads(quads: readonly Quad[]): Quad[] {
  const unique = new Map<string, Quad>()
  for (const quad of quads) {
    if (quad.graph.termType !== 'DefaultGraph') {
      throw new Error(`Only default-graph quads can be serialized; got graph <${quad.graph.value}>`)
    }
    unique.set(`${termKey(quad.subject)} ${termKey(quad.predicate)} ${termKey(quad.object)}`, quad)
  }
  const labels = blankNodeLabels([...unique.values()])
  const relabel = <T extends Term>(term: T): T =>
    term.termType === 'BlankNode' ? (DataFactory.blankNode(labels.get(term.value)) as Term as T) : term
  return [...unique.values()]
    .sort((a, b) => compareQuads(a, b, labels))
    .map((q) => DataFactory.quad(relabel(q.subject), q.predicate, relabel(q.object)) as Quad)
}

/** Serialize a default-graph array of quads as Turtle, declaring only the prefixes the graph uses. */
export function toTurtle(quads: readonly Quad[]): string {
  const sorted = sortQuads(quads)
  const writer = new Writer({ format: 'text/turtle', prefixes: prefixesUsedBy(sorted) })
  writer.addQuads(sorted)
  let output: string | undefined
  let failure: unknown
  // With no output stream n3 builds a string and calls back synchronously.
  writer.end((error, result: string) => {
    failure = error
    output = result
  })
  if (failure) throw failure
  if (output === undefined) throw new Error('n3 Writer did not return the Turtle synchronously')
  return output
}
