import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DataFactory, Parser } from 'n3'
import type { Quad, Term } from '@rdfjs/types'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type CatalogueShapes,
  type Finding,
  LICENCES_FILE,
  loadCatalogueShapes,
  NDC_RULES_FILE,
  SEMIC_SHAPE_FILES,
  validateCatalogue,
} from './catalogue-validator'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO_ROOT = path.resolve(HERE, '../../../..')
const SPECS_DIR = path.resolve(REPO_ROOT, '../shared/specs/dcat-ap-it')
const FIXTURE = path.join(HERE, 'fixtures/valid-catalogue.ttl')

const DCT = 'http://purl.org/dc/terms/'
const DCAT = 'http://www.w3.org/ns/dcat#'
const DCATAPIT = 'http://dati.gov.it/onto/dcatapit#'
const VCARD = 'http://www.w3.org/2006/vcard/ns#'
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
const SKOS_CONCEPT_SCHEME = 'http://www.w3.org/2004/02/skos/core#ConceptScheme'
const R5R = 'http://data.europa.eu/r5r#'
const GS = 'urn:gemello:shapes:dcatapit:'
const LICENCES = 'https://w3id.org/italia/controlled-vocabulary/licences/'

const TRAFFIC = 'https://gemello.example/opendata/dataset/traffic-loop-counts-hourly'
const AIR = 'https://gemello.example/opendata/dataset/air-quality-daily'
const CATALOG = 'https://gemello.example/opendata/catalog'
const CONTACT_POINT = 'https://gemello.example/opendata/contact-point'
const AIR_CSV = 'https://gemello.example/opendata/distribution/air-quality-daily-csv'

let shapes: CatalogueShapes
let fixtureText: string

beforeAll(async () => {
  shapes = await loadCatalogueShapes(SPECS_DIR)
  fixtureText = await readFile(FIXTURE, 'utf8')
})

const iri = (value: string) => DataFactory.namedNode(value)
const fixture = (): Quad[] => new Parser({ format: 'text/turtle' }).parse(fixtureText) as Quad[]

/** The fixture without the triples matching subject / predicate / object (undefined = any). */
function without(s: string | undefined, p: string | undefined, o?: string): Quad[] {
  const quads = fixture()
  const kept = quads.filter((q) => !((s === undefined || q.subject.value === s) && (p === undefined || q.predicate.value === p) && (o === undefined || q.object.value === o)))
  expect(kept.length, 'the mutation must remove at least one triple').toBeLessThan(quads.length)
  return kept
}

/** The fixture with the objects of <s> <p> replaced by `object`. */
function replacing(s: string, p: string, object: Term): Quad[] {
  return [...without(s, p), DataFactory.quad(iri(s), iri(p), object as Quad['object'])]
}

const where = (findings: Finding[], match: Partial<Finding>) =>
  findings.filter((f) => Object.entries(match).every(([key, value]) => f[key as keyof Finding] === value))

describe('validateCatalogue on the golden catalogue', () => {
  it('finds no violation in the hand-written valid catalogue', async () => {
    const report = await validateCatalogue(shapes, fixture())
    expect(report.violations).toEqual([])
    expect(report.conforms).toBe(true)
    expect(report.infos).toEqual([])
  })

  it('leaves only the warnings a Comune cannot fix', async () => {
    // What remains, all from the SEMIC mdr-vocabularies shapes (severity Warning):
    // - dct:publisher (catalogue and both datasets): the Comune di Bologna is not in the EU
    //   corporate-body authority table, which lists EU institutions and bodies only;
    // - dct:spatial (catalogue and both datasets): a dct:Location described by bbox/centroid is not a
    //   concept of the EU country, place or continent tables nor GeoNames. The datasets' Locations are
    //   blank nodes, so they also fail the shape's sh:nodeKind sh:IRI.
    const report = await validateCatalogue(shapes, fixture())
    const summary = report.warnings.map((f) => [f.focusNode, f.path?.replace(DCT, 'dct:'), f.shape?.replace(R5R, 'r5r:')])
    expect(summary).toEqual([
      [CATALOG, 'dct:publisher', 'r5r:Catalog_ShapeCV'],
      [CATALOG, 'dct:spatial', 'r5r:Catalog_ShapeCV'],
      [AIR, 'dct:publisher', 'r5r:Dataset_ShapeCV'],
      [AIR, 'dct:spatial', 'r5r:Dataset_ShapeCV'],
      [AIR, 'dct:spatial', 'r5r:Dataset_ShapeCV'],
      [TRAFFIC, 'dct:publisher', 'r5r:Dataset_ShapeCV'],
      [TRAFFIC, 'dct:spatial', 'r5r:Dataset_ShapeCV'],
      [TRAFFIC, 'dct:spatial', 'r5r:Dataset_ShapeCV'],
    ])
    expect(report.warnings.find((f) => f.focusNode === TRAFFIC && f.path === `${DCT}spatial`)?.value).toBe(`${TRAFFIC} ${DCT}spatial []`)
  })

  it('needs the vocabulary stub and the licence documents from licences.ttl to accept it', async () => {
    const noStub = await validateCatalogue({ ...shapes, vocabulary: [] }, fixture())
    expect(new Set(noStub.violations.map((f) => f.path))).toEqual(
      new Set([`${DCT}accrualPeriodicity`, `${DCAT}theme`, `${DCAT}themeTaxonomy`, `${DCT}language`, `${DCT}format`, `${DCAT}mediaType`,
        'http://data.europa.eu/r5r/availability', 'http://spdx.org/rdf/terms#algorithm', `${DCT}type`]),
    )
    const noLicences = await validateCatalogue({ ...shapes, licences: new Map() }, fixture())
    expect(new Set(noLicences.violations.map((f) => f.path))).toEqual(new Set([`${DCT}license`]))
  })

  it('gives the same report, in the same order, when run again with the same shapes', async () => {
    const first = await validateCatalogue(shapes, fixture())
    await validateCatalogue(shapes, without(AIR, `${DCT}description`))
    expect(await validateCatalogue(shapes, fixture())).toEqual(first)
  })
})

describe('validateCatalogue on broken copies of the golden catalogue', () => {
  it('(a) flags a dataset without dct:description, in the SEMIC, NDC and Gemello shapes', async () => {
    const report = await validateCatalogue(shapes, without(AIR, `${DCT}description`))
    expect(report.conforms).toBe(false)
    const found = where(report.violations, { focusNode: AIR, path: `${DCT}description` })
    expect(found.map((f) => f.shape).sort()).toEqual([`${R5R}Dataset_Shape`, `${GS}DatasetShape`, `${GS}NdcDatasetShape`])
    expect(report.violations.every((f) => f.focusNode === AIR)).toBe(true)
  })

  it('(b) flags a distribution licensed C1_Unknown', async () => {
    const report = await validateCatalogue(shapes, replacing(AIR_CSV, `${DCT}license`, iri(`${LICENCES}C1_Unknown`)))
    const found = where(report.violations, { focusNode: AIR_CSV, path: `${DCT}license`, value: `${LICENCES}C1_Unknown` })
    expect(found.map((f) => f.shape).sort()).toEqual([`${R5R}Distribution_Shape`, `${GS}DistributionShape`, `${GS}DistributionShape`])
    expect(found.some((f) => f.message.includes('unknown licence'))).toBe(true)
  })

  it('flags a licence outside the Italian licences vocabulary', async () => {
    const report = await validateCatalogue(shapes, replacing(AIR_CSV, `${DCT}license`, iri('https://creativecommons.org/licenses/by/4.0/')))
    const found = where(report.violations, { focusNode: AIR_CSV, path: `${DCT}license` })
    expect(found.some((f) => f.shape === `${GS}DistributionShape` && f.message.includes('Italian licences vocabulary'))).toBe(true)
    expect(found.some((f) => f.shape === `${R5R}Distribution_Shape`)).toBe(true)
  })

  it('(c) flags a dataset without dct:rightsHolder, in Gemello\'s DCAT-AP_IT shape', async () => {
    const report = await validateCatalogue(shapes, without(TRAFFIC, `${DCT}rightsHolder`))
    const found = where(report.violations, { focusNode: TRAFFIC, path: `${DCT}rightsHolder`, shape: `${GS}DatasetShape` })
    expect(found).toHaveLength(1)
    expect(found[0]?.message).toContain('exactly one dct:rightsHolder')
  })

  it('(d) flags a dataset without dcat:theme, in the rewritten NDC rule and Gemello\'s shape', async () => {
    const report = await validateCatalogue(shapes, without(TRAFFIC, `${DCAT}theme`))
    const found = where(report.violations, { focusNode: TRAFFIC, path: `${DCAT}theme` })
    expect(found.map((f) => f.shape).sort()).toEqual([`${GS}DatasetShape`, `${GS}NdcDatasetShape`])
  })

  it('(e) flags a contact point without vcard:hasEmail', async () => {
    const report = await validateCatalogue(shapes, without(CONTACT_POINT, `${VCARD}hasEmail`))
    expect(where(report.violations, { focusNode: CONTACT_POINT, path: `${VCARD}hasEmail`, shape: `${GS}ContactPointShape` })).toHaveLength(1)
  })

  it('flags an e-mail that is not a mailto: IRI', async () => {
    const report = await validateCatalogue(shapes, replacing(CONTACT_POINT, `${VCARD}hasEmail`, DataFactory.literal('opendata@gemello.example')))
    const found = where(report.violations, { focusNode: CONTACT_POINT, path: `${VCARD}hasEmail`, shape: `${GS}ContactPointShape` })
    expect(found.map((f) => f.value)).toEqual(['opendata@gemello.example'])
  })

  it('(f) flags a frequency that is not in the EU frequency table, in the range and mdr shapes', async () => {
    const bad = 'http://publications.europa.eu/resource/authority/frequency/EVERY_FORTNIGHT'
    const report = await validateCatalogue(shapes, replacing(TRAFFIC, `${DCT}accrualPeriodicity`, iri(bad)))
    const found = where(report.violations, { focusNode: TRAFFIC, path: `${DCT}accrualPeriodicity`, value: bad })
    expect(found.map((f) => f.shape).sort()).toEqual([`${R5R}Dataset_Shape`, `${R5R}Dataset_ShapeCV`])
  })

  it('flags a resource typed dcat:Dataset but not dcatapit:Dataset (the shapes would otherwise skip it)', async () => {
    const report = await validateCatalogue(shapes, without(AIR, RDF_TYPE, `${DCATAPIT}Dataset`))
    expect(where(report.violations, { focusNode: AIR, shape: `${GS}DatasetTyping` })).toHaveLength(1)
    expect(where(report.violations, { focusNode: CATALOG, path: `${DCAT}dataset`, shape: `${GS}CatalogShape`, value: AIR })).toHaveLength(1)
  })
})

describe('the rewritten NDC rule', () => {
  it('fires on every dcatapit:Dataset, not only on those a SPARQL target would select', async () => {
    const report = await validateCatalogue(shapes, without(AIR, `${DCT}accrualPeriodicity`))
    expect(where(report.violations, { focusNode: AIR, path: `${DCT}accrualPeriodicity`, shape: `${GS}NdcDatasetShape` })).toHaveLength(1)
  })

  it('asks a controlled vocabulary (a dataset that is also a skos:ConceptScheme) for owl:versionInfo and ndc:keyConcept', async () => {
    const asVocabulary = [...fixture(), DataFactory.quad(iri(AIR), iri(RDF_TYPE), iri(SKOS_CONCEPT_SCHEME))]
    const report = await validateCatalogue(shapes, asVocabulary)
    expect(where(report.violations, { focusNode: AIR, shape: `${GS}NdcVocabularyShape` })).toHaveLength(1)

    const published = [
      ...asVocabulary,
      DataFactory.quad(iri(AIR), iri('http://www.w3.org/2002/07/owl#versionInfo'), DataFactory.literal('1.0')),
      DataFactory.quad(iri(AIR), iri('https://w3id.org/italia/onto/NDC/keyConcept'), DataFactory.literal('airQuality')),
    ]
    expect((await validateCatalogue(shapes, published)).violations).toEqual([])
  })
})

describe('loadCatalogueShapes', () => {
  /** A temporary specs directory linking the real files, minus `omit`, plus `extra` files. */
  async function specsDirWith(omit: string[], extra: Record<string, string> = {}): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'gemello-specs-'))
    for (const file of [...SEMIC_SHAPE_FILES, NDC_RULES_FILE, LICENCES_FILE]) {
      if (!omit.includes(file) && !(file in extra)) await symlink(path.join(SPECS_DIR, file), path.join(dir, file))
    }
    for (const [file, text] of Object.entries(extra)) await writeFile(path.join(dir, file), text)
    return dir
  }

  it('(g) names the missing file when the specs directory does not exist', async () => {
    await expect(loadCatalogueShapes(path.join(tmpdir(), 'gemello-no-such-specs-dir'))).rejects.toThrow(/gemello-no-such-specs-dir lacks dcat-ap_2\.1\.1_shacl_shapes\.ttl, /)
  })

  it('names the one file a specs directory lacks', async () => {
    const dir = await specsDirWith([LICENCES_FILE])
    try {
      await expect(loadCatalogueShapes(dir)).rejects.toThrow(/gemello-specs-\w+ lacks licences\.ttl \(/)
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('refuses an NDC rules file that checks a property the rewrite does not', async () => {
    const ndc = await readFile(path.join(SPECS_DIR, NDC_RULES_FILE), 'utf8')
    const grown = ndc.replace('sh:property [ sh:path dcat:keyword;', 'sh:property [ sh:path dct:spatial ; sh:minCount 1 ; ] ;\n  sh:property [ sh:path dcat:keyword;')
    expect(grown).not.toBe(ndc)
    const dir = await specsDirWith([], { [NDC_RULES_FILE]: grown })
    try {
      await expect(loadCatalogueShapes(dir)).rejects.toThrow(/requires http:\/\/purl\.org\/dc\/terms\/spatial/)
    } finally {
      await rm(dir, { recursive: true })
    }
  })
})
