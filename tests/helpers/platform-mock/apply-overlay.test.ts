/**
 * The overlay applier (apply-overlay.ts) and SEND's overlay (overlays/send-pn-b2b-pa.overlay.yaml):
 * the published bundle does not compile in strict Ajv, the overlaid one does; the overlay's targets
 * are exactly what a scan of the bundle finds; each fix is needed; other bytes are refused.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { applyOverlay, overlaySourceSha256, parseJsonPath, readOverlay, strictValidatorBlockers, type Overlay } from './apply-overlay'
import { haveSpec, OpenApiSpec, SPECS_DIR } from './openapi-spec'
import { SEND_OVERLAY, SEND_SPEC } from './send-mock'

const tiny = 'openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        zip: { type: string, pattern: "^x$" }\n'
const overlayFor = (text: string, actions: Overlay['actions']): Overlay => ({
  overlay: '1.0.0',
  info: { title: 'test', version: `1.0.0+sha256.${createHash('sha256').update(text).digest('hex')}` },
  actions,
})

describe('the overlay applier', () => {
  it('reads dotted and bracketed names, and nothing else of JSONPath', () => {
    expect(parseJsonPath('$.components.schemas.NotificationPhysicalAddress.properties.zip')).toEqual(['components', 'schemas', 'NotificationPhysicalAddress', 'properties', 'zip'])
    expect(parseJsonPath(`$.paths['/delivery/v2.6/requests'].post`)).toEqual(['paths', '/delivery/v2.6/requests', 'post'])
    expect(parseJsonPath(`$["it's"]`)).toEqual([`it's`])
    for (const unsupported of ['$.a[0]', '$.a.*', '$..zip', '$.a[?(@.b)]', 'a.b', '$.a b']) expect(() => parseJsonPath(unsupported), unsupported).toThrow(/JSONPath/)
  })

  it('merges an update into the one object its target selects, leaving the rest and the input alone', () => {
    const doc = applyOverlay(tiny, overlayFor(tiny, [{ target: '$.components.schemas.A.properties.zip', update: { pattern: '^y$', maxLength: 5 } }]))
    expect(doc).toMatchObject({ components: { schemas: { A: { type: 'object', properties: { zip: { type: 'string', pattern: '^y$', maxLength: 5 } } } } } })
  })

  it('refuses a target that selects nothing, a remove, and a version without the sha256', () => {
    expect(() => applyOverlay(tiny, overlayFor(tiny, [{ target: '$.components.schemas.B', update: { type: 'object' } }]))).toThrow(/selects no object/)
    expect(() => applyOverlay(tiny, overlayFor(tiny, [{ target: '$.components.schemas.A', remove: true }]))).toThrow(/remove is not supported/)
    expect(() => applyOverlay(tiny, { ...overlayFor(tiny, [{ target: '$', update: {} }]), info: { title: 't', version: '1.0.0' } })).toThrow(/sha256/)
  })

  it('finds patterns a unicode regex refuses and nullable beside no type, wherever they are', () => {
    const doc = { components: { schemas: { A: { properties: { z: { type: 'string', pattern: '^(\\w|\\ |\\-)*$' }, n: { nullable: true, allOf: [] }, ok: { type: 'string', nullable: true } } }, B: { nullable: false, properties: {} } } } }
    expect(strictValidatorBlockers(doc).map((b) => [b.target, b.problem])).toEqual([
      ['$.components.schemas.A.properties.z', 'pattern-not-unicode'],
      ['$.components.schemas.A.properties.n', 'nullable-without-type'],
      ['$.components.schemas.B', 'nullable-without-type'],
    ])
  })
})

describe.runIf(haveSpec(SEND_SPEC))('SEND’s overlay', () => {
  const text = readFileSync(path.join(SPECS_DIR, SEND_SPEC))
  const overlay = readOverlay(SEND_OVERLAY)
  const targets = overlay.actions.map((a) => a.target).sort()

  it('is pinned to the bundle SOURCES.md lists, and refuses any other bytes', () => {
    const listed = /\| pn-api-external-b2b-pa-bundle\.yaml \|.*\| ([0-9a-f]{16})… \|/.exec(readFileSync(path.join(SPECS_DIR, 'send-pn/SOURCES.md'), 'utf8'))?.[1]
    expect(listed).toBeDefined()
    expect(overlaySourceSha256(overlay).startsWith(listed!)).toBe(true)
    expect(() => applyOverlay(Buffer.concat([text, Buffer.from('\n')]), overlay)).toThrow(/was checked against a document with sha256 c798c145.*re-check the new document/)
  })

  it('targets exactly what a scan of the bundle finds, and leaves nothing for a strict validator to refuse', () => {
    const found = strictValidatorBlockers(yaml.load(text.toString('utf8')))
    expect(found.map((b) => b.target).sort()).toEqual(targets)
    expect(found.map((b) => b.problem).sort()).toEqual(['nullable-without-type', 'nullable-without-type', 'nullable-without-type', 'nullable-without-type', 'nullable-without-type', 'pattern-not-unicode'])
    expect(strictValidatorBlockers(applyOverlay(text, overlay))).toEqual([])
  })

  it('the published bundle does not compile in strict Ajv; the overlaid one does', () => {
    expect(() => new OpenApiSpec(yaml.load(text.toString('utf8')) as Record<string, unknown>, { strict: true })).toThrow(/does not compile: (Invalid regular expression|"nullable" cannot be used without "type")/)
    const spec = new OpenApiSpec(applyOverlay(text, overlay), { strict: true })
    expect(spec.problems('NotificationPhysicalAddress', { address: 'Piazza Maggiore 6', municipality: 'Bologna', zip: '40124' })).toEqual([])
    expect(spec.problems('NotificationPhysicalAddress', { address: 'Piazza Maggiore 6', municipality: 'Bologna', zip: '40124/A' })).not.toEqual([])
  })

  it('needs each of its fixes: without the pattern’s, or without the types, strict compiling still fails', () => {
    const without = (keep: (t: string) => boolean) => applyOverlay(text, { ...overlay, actions: overlay.actions.filter((a) => keep(a.target)) })
    expect(() => new OpenApiSpec(without((t) => !t.endsWith('.zip')), { strict: true })).toThrow(/Invalid regular expression/)
    expect(() => new OpenApiSpec(without((t) => t.endsWith('.zip')), { strict: true })).toThrow(/"nullable" cannot be used without "type"/)
  }, 30_000)

  it('writes the postcode pattern so that it matches exactly what the published one meant', () => {
    const published = new RegExp('^(\\w|\\ |\\-)*$') // as a non-unicode (Java-like) engine reads it
    const ours = new RegExp(String(overlay.actions.find((a) => a.target.endsWith('.zip'))!.update!.pattern), 'u')
    // `^(\w| |\-)*$` would not do: `\-` outside a class is an identity escape unicode mode refuses too.
    expect(() => new RegExp('^(\\w| |\\-)*$', 'u')).toThrow(/Invalid escape/)
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ09_ -./\\|()àß€\t'.split('')), maxLength: 15 }), (zip) => published.test(zip) === ours.test(zip)),
      { numRuns: 2_000 },
    )
  })
})
