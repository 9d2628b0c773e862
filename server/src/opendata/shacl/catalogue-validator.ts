/**
 * SHACL validation of the DCAT-AP_IT catalogue Gemello publishes. The shapes are the SEMIC DCAT-AP 2.1.1
 * files, read at run time from the specs directory (never copied into the repo), plus Gemello's own
 * gemello-dcatapit-shapes.ttl (DCAT-AP_IT mandatory properties, the NDC rule rewritten without SHACL-AF,
 * typing guards). The data graph is the catalogue plus the context the range/mdr shapes need to see:
 * vocabulary-stub.ttl and, from the specs' licences.ttl, the licence documents the catalogue uses.
 */
import { access, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Parser } from 'n3'
import rdf from '@zazuko/env'
import SHACLValidator from 'rdf-validate-shacl'
import type { DatasetCore, Quad, Term } from '@rdfjs/types'

export const SEMIC_SHAPE_FILES = [
  'dcat-ap_2.1.1_shacl_shapes.ttl',
  'dcat-ap_2.1.1_shacl_shapes_recommended.ttl',
  'dcat-ap_2.1.1_shacl_range.ttl',
  'dcat-ap_2.1.1_shacl_mdr-vocabularies.shape.ttl',
] as const
/** Read to check that Gemello's rewrite still covers it; its sh:SPARQLTarget rule is never run. */
export const NDC_RULES_FILE = 'ndc-controlled-vocabulary-rules.shacl.ttl'
export const LICENCES_FILE = 'licences.ttl'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const GEMELLO_SHAPES_PATH = path.join(HERE, 'gemello-dcatapit-shapes.ttl')
const VOCABULARY_STUB_PATH = path.join(HERE, 'vocabulary-stub.ttl')

const SH = 'http://www.w3.org/ns/shacl#'
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
const DCT_LICENSE = 'http://purl.org/dc/terms/license'
const DCT_TYPE = 'http://purl.org/dc/terms/type'
const SKOS_EXACT_MATCH = 'http://www.w3.org/2004/02/skos/core#exactMatch'
const ADMS_LICENCE_TYPE = 'http://purl.org/adms/licencetype/'
const GEMELLO_NDC_SHAPES = ['urn:gemello:shapes:dcatapit:NdcDatasetShape', 'urn:gemello:shapes:dcatapit:NdcVocabularyPublication']

export interface CatalogueShapes {
  /** SEMIC DCAT-AP 2.1.1 shapes and Gemello's, one shapes graph. */
  shapes: DatasetCore
  /** Built once (compiling the shapes costs more than a validation); each validate() starts a new report. */
  validator: SHACLValidator
  /** vocabulary-stub.ttl. */
  vocabulary: readonly Quad[]
  /** licences.ttl, by subject IRI. */
  licences: ReadonlyMap<string, readonly Quad[]>
}

export type Severity = 'violation' | 'warning' | 'info'

/** One SHACL result as plain JSON. Blank nodes are written `<subject IRI> <predicate IRI> []`. */
export interface Finding {
  severity: Severity
  focusNode: string
  /** The property checked (an IRI), null for a node-level constraint. */
  path: string | null
  message: string
  /** The node shape that failed: the source shape, or the node shape holding that property shape. */
  shape: string | null
  /** The offending value, when the constraint names one. */
  value: string | null
}

export interface CatalogueValidationReport {
  /** True when there is no violation; warnings and infos do not count. */
  conforms: boolean
  violations: Finding[]
  warnings: Finding[]
  infos: Finding[]
}

/**
 * Parse the shapes: the four SEMIC files and the NDC file from `specsDir`, Gemello's shapes and
 * vocabulary stub from this folder. Throws naming the file when one is missing or unparsable, and
 * when the NDC rule checks a property Gemello's rewrite does not.
 */
export async function loadCatalogueShapes(specsDir: string): Promise<CatalogueShapes> {
  const specPath = (file: string) => path.join(specsDir, file)
  const required = [...SEMIC_SHAPE_FILES, NDC_RULES_FILE, LICENCES_FILE]
  const readable = await Promise.all(required.map((file) => access(specPath(file)).then(() => true, () => false)))
  const missing = required.filter((_, i) => !readable[i])
  if (missing.length > 0) {
    throw new Error(`SHACL catalogue validator: the specs directory ${specsDir} lacks ${missing.join(', ')} (expected the DCAT-AP_IT specs: ${required.join(', ')})`)
  }
  const [semic, ndc, licences, gemello, vocabulary] = await Promise.all([
    Promise.all(SEMIC_SHAPE_FILES.map((file) => parseTurtleFile(specPath(file)))),
    parseTurtleFile(specPath(NDC_RULES_FILE)),
    parseTurtleFile(specPath(LICENCES_FILE)),
    parseTurtleFile(GEMELLO_SHAPES_PATH),
    parseTurtleFile(VOCABULARY_STUB_PATH),
  ])
  assertNdcRuleCovered(ndc, gemello)
  const bySubject = new Map<string, Quad[]>()
  for (const quad of licences) {
    if (quad.subject.termType !== 'NamedNode') continue
    const list = bySubject.get(quad.subject.value)
    if (list) list.push(quad)
    else bySubject.set(quad.subject.value, [quad])
  }
  const shapes = rdf.dataset([...semic.flat(), ...gemello])
  // maxNodeChecks 0: the engine's default (50) stops re-checking a node against a shape after 50
  // checks in one run — a guard against recursive shapes, which these are not — and would drop the
  // findings on the 51st dataset sharing a publisher or a frequency.
  const options = { factory: rdf, maxNodeChecks: 0 } as ConstructorParameters<typeof SHACLValidator>[1]
  return { shapes, validator: new SHACLValidator(shapes, options), vocabulary, licences: bySubject }
}

/** Validate a catalogue graph (any RDF/JS quads, default graph) against the loaded shapes. */
export async function validateCatalogue(shapes: CatalogueShapes, quads: readonly Quad[]): Promise<CatalogueValidationReport> {
  const data = rdf.dataset([...quads, ...shapes.vocabulary, ...licenceContext(shapes, quads)])
  const report = await shapes.validator.validate(data)
  const findings = report.results.map((result): Finding => {
    const sourceShape = result.sourceShape
    return {
      severity: severityOf(result.severity),
      focusNode: describeTerm(result.focusNode, data),
      path: result.path?.termType === 'NamedNode' ? result.path.value : null,
      message: messageOf(result.message, sourceShape, shapes.shapes),
      shape: owningShape(sourceShape, shapes.shapes),
      value: result.value ? describeTerm(result.value, data) : null,
    }
  })
  // One property shape with two failing constraints and one sh:message gives two identical findings.
  const unique = [...new Map(findings.map((f) => [JSON.stringify(f), f])).values()].sort(compareFindings)
  const violations = unique.filter((f) => f.severity === 'violation')
  return {
    conforms: violations.length === 0,
    violations,
    warnings: unique.filter((f) => f.severity === 'warning'),
    infos: unique.filter((f) => f.severity === 'info'),
  }
}

/**
 * The licence documents the catalogue points at with dct:license, as licences.ttl describes them —
 * except dct:type. The Italian vocabulary types a licence with its own category (A.2 Attribution…);
 * DCAT-AP's mdr shapes want a concept of the ADMS licence-type scheme, and each category names its
 * ADMS match with skos:exactMatch, so the category is replaced by that match.
 */
function licenceContext(shapes: CatalogueShapes, quads: readonly Quad[]): Quad[] {
  const used = new Set<string>()
  for (const q of quads) if (q.predicate.value === DCT_LICENSE && q.object.termType === 'NamedNode') used.add(q.object.value)
  const context: Quad[] = []
  for (const iri of used) {
    for (const q of shapes.licences.get(iri) ?? []) {
      if (q.predicate.value !== DCT_TYPE) {
        context.push(q)
        continue
      }
      for (const match of shapes.licences.get(q.object.value) ?? []) {
        if (match.predicate.value === SKOS_EXACT_MATCH && match.object.value.startsWith(ADMS_LICENCE_TYPE)) {
          context.push(rdf.quad(q.subject, q.predicate, match.object))
        }
      }
    }
  }
  return context
}

async function parseTurtleFile(file: string): Promise<Quad[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new Error(`SHACL catalogue validator: cannot read ${path.basename(file)} (${file}): ${(error as Error).message}`)
  }
  try {
    return new Parser({ format: 'text/turtle' }).parse(text) as Quad[]
  } catch (error) {
    throw new Error(`SHACL catalogue validator: ${path.basename(file)} is not valid Turtle: ${(error as Error).message}`)
  }
}

/** Every property the NDC rule requires must be required by Gemello's rewrite too. */
function assertNdcRuleCovered(ndc: readonly Quad[], gemello: readonly Quad[]): void {
  const pathsOf = (quads: readonly Quad[], shapeIris: readonly string[] | null): Set<string> => {
    const propertyShapes = new Set(
      quads
        .filter((q) => q.predicate.value === `${SH}property` && (shapeIris === null || shapeIris.includes(q.subject.value)))
        .map((q) => q.object.value),
    )
    return new Set(quads.filter((q) => q.predicate.value === `${SH}path` && propertyShapes.has(q.subject.value)).map((q) => q.object.value))
  }
  const covered = pathsOf(gemello, GEMELLO_NDC_SHAPES)
  const missing = [...pathsOf(ndc, null)].filter((p) => !covered.has(p)).sort()
  if (missing.length > 0) {
    throw new Error(
      `SHACL catalogue validator: ${NDC_RULES_FILE} requires ${missing.join(', ')}, which the NDC rewrite in ` +
        'gemello-dcatapit-shapes.ttl does not; update the rewrite.',
    )
  }
}

function severityOf(term: Term | null | undefined): Severity {
  if (term?.value === `${SH}Warning`) return 'warning'
  if (term?.value === `${SH}Info`) return 'info'
  return 'violation'
}

/** The shape's own sh:message (preferring English), else the engine's, plus the shape's sh:description. */
function messageOf(messages: Term[], sourceShape: Term | null | undefined, shapesGraph: DatasetCore): string {
  const ranked = [...messages].sort((a, b) => langRank(a) - langRank(b))
  // The engine writes an anonymous sh:node shape as nothing: "Value does not have shape ".
  const text = (ranked[0]?.value ?? 'Constraint not satisfied').replace(/ shape\s*$/, ' the required shape')
  if (!sourceShape) return text
  const described = [...shapesGraph.match(sourceShape, rdf.namedNode(`${SH}description`))][0]
  const hasOwnMessage = shapesGraph.match(sourceShape, rdf.namedNode(`${SH}message`)).size > 0
  return described && !hasOwnMessage ? `${text}. ${described.object.value}` : text
}

function langRank(term: Term): number {
  if (term.termType !== 'Literal') return 2
  return term.language === 'en' ? 0 : term.language === '' ? 1 : 2
}

/** A named source shape, or the named node shape that holds a blank property shape. */
function owningShape(sourceShape: Term | null | undefined, shapesGraph: DatasetCore): string | null {
  if (!sourceShape) return null
  if (sourceShape.termType === 'NamedNode') return sourceShape.value
  const owners = [...shapesGraph.match(null, rdf.namedNode(`${SH}property`), sourceShape)]
    .map((q) => q.subject)
    .filter((s) => s.termType === 'NamedNode')
    .map((s) => s.value)
    .sort()
  return owners[0] ?? null
}

/** IRIs and literals as their value; a blank node by the first (sorted) named subject pointing at it. */
function describeTerm(term: Term, data: DatasetCore, depth = 0): string {
  if (term.termType !== 'BlankNode') return term.value
  if (depth > 3) return '[]'
  const incoming = [...data.match(null, null, term)]
    .filter((q) => q.predicate.value !== RDF_TYPE)
    .map((q) => `${describeTerm(q.subject, data, depth + 1)} ${q.predicate.value} []`)
    .sort()
  return incoming[0] ?? '[]'
}

const SEVERITY_ORDER: Record<Severity, number> = { violation: 0, warning: 1, info: 2 }

function compareFindings(a: Finding, b: Finding): number {
  const keys = (f: Finding) => [f.focusNode, f.path ?? '', f.shape ?? '', f.message, f.value ?? '']
  const byKind = SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
  if (byKind !== 0) return byKind
  const ka = keys(a)
  const kb = keys(b)
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i] as string
    const y = kb[i] as string
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}
