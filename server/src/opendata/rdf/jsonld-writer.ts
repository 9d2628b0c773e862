// JSON-LD for harvesters that read it, made by jsonld.js: fromRDF on the sorted quads, then compaction
// with an inline context built from the DCAT-AP_IT prefixes the graph uses. The document loader refuses
// every URL, so serializing a catalogue can never fetch a remote context (no network, no SSRF).
// The result always has "@graph" (one flat node object per subject, blank nodes as "_:…" ids) and
// carries its own "@context", so a reader needs nothing but the document.
import jsonld from 'jsonld'
import type { ContextDefinition } from 'jsonld'
import type { Quad } from '@rdfjs/types'
import { irisOf, prefixesUsedBy } from './namespaces'
import { sortQuads } from './turtle-writer'

/**
 * The inline context: a prefix term for each DCAT-AP_IT namespace the graph uses, except a prefix that
 * is also the scheme of an IRI in the graph (e.g. "geo" next to an RFC 5870 <geo:45.07,7.68>), which
 * jsonld.js would refuse to compact ("Absolute IRI confused with prefix").
 */
export function jsonLdContext(quads: readonly Quad[]): ContextDefinition {
  const iris = [...irisOf(quads)]
  const used = Object.entries(prefixesUsedBy(quads))
  return Object.fromEntries(used.filter(([prefix]) => !iris.some((iri) => iri.startsWith(`${prefix}:`))))
}

/** A jsonld.js document loader that fails for any URL: contexts must be inline. */
export async function refuseRemoteDocuments(url: string): Promise<never> {
  throw new Error(`Remote JSON-LD documents are not loaded (refused ${url}); use an inline context`)
}

/** Serialize a default-graph array of quads as compacted JSON-LD with an inline context and "@graph". */
export async function toJsonLd(quads: readonly Quad[]): Promise<object> {
  // fromRDF accepts RDF/JS quads as the dataset when no `format` is given (it reads termType/value).
  const sorted = sortQuads(quads)
  const expanded = await jsonld.fromRDF(sorted)
  return jsonld.compact(expanded, jsonLdContext(sorted), {
    documentLoader: refuseRemoteDocuments,
    graph: true, // always "@graph", even for a one-node graph
    compactToRelative: false,
  })
}
