/**
 * The national platforms' OpenAPI documents (../shared/specs) as request and response validators for
 * the loopback mock servers of the tests: the document is read as published (YAML or JSON), its OpenAPI
 * 3.0 schemas turned into JSON Schema (nullable, boolean exclusiveMinimum/Maximum, example) and
 * compiled with Ajv, every component schema reachable by $ref. A mock records each violation; a test
 * asserts there were none.
 *
 * OpenAPI 3.1 documents (pagoPA GPD) hold JSON Schema 2020-12 already; what they use of it (type
 * arrays such as [x, "null"], `examples` as an annotation, $ref with sibling keywords) reads the same
 * here. A document whose patterns are Java regexes invalid in Ajv's unicode mode (GPD's `[\w*\h-]+`
 * on path parameters) is opened with `{ unicodeRegExp: false }`; a parameter's schema is validated
 * through its JSON pointer (`#/paths/~1a~1{id}/get/parameters/0/schema`).
 *
 * `{ strict: true }` reads a document as a strict validator does (Ajv's strict mode, as
 * express-openapi-validator runs it): unknown keywords and formats refused, unicode regular
 * expressions, OpenAPI's `nullable` left to Ajv — which refuses it beside no `type` — and every
 * component schema compiled at once, so a document that breaks any of these throws here, naming the
 * schema (strictTypes stays off: OpenAPI documents routinely put `required` without `type: object`).
 * A document can also be given already loaded (e.g. with an overlay applied, ./apply-overlay.ts).
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import yaml from 'js-yaml'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const SPECS_DIR = path.resolve(ROOT, process.env.GEMELLO_SHARED_DIR ?? '../shared', 'specs')
export const haveSpec = (rel: string) => existsSync(path.join(SPECS_DIR, rel))

type Json = Record<string, unknown>

/** OpenAPI 3.0 Schema Object → JSON Schema (draft-07, as Ajv's default dialect reads it). */
export function toJsonSchema(s: unknown, keepNullable = false): unknown {
  if (Array.isArray(s)) return s.map((x) => toJsonSchema(x, keepNullable))
  if (s === null || typeof s !== 'object') return s
  const o: Json = {}
  for (const [k, v] of Object.entries(s as Json)) {
    if (k === 'example' || k === 'examples' || k === 'xml' || k === 'externalDocs' || k.startsWith('x-')) continue
    o[k] = k === 'properties' || k === 'patternProperties' ? Object.fromEntries(Object.entries(v as Json).map(([p, x]) => [p, toJsonSchema(x, keepNullable)])) : toJsonSchema(v, keepNullable)
  }
  if (o.exclusiveMaximum === true && typeof o.maximum === 'number') {
    o.exclusiveMaximum = o.maximum
    delete o.maximum
  } else if (typeof o.exclusiveMaximum === 'boolean') delete o.exclusiveMaximum
  if (o.exclusiveMinimum === true && typeof o.minimum === 'number') {
    o.exclusiveMinimum = o.minimum
    delete o.minimum
  } else if (typeof o.exclusiveMinimum === 'boolean') delete o.exclusiveMinimum
  if (o.nullable === true && !keepNullable) {
    delete o.nullable
    if (typeof o.type === 'string') o.type = [o.type, 'null']
  }
  if (typeof o.$ref === 'string') o.$ref = (o.$ref as string).replace('#/components/schemas/', 'spec#/components/schemas/').replace('#/definitions/', 'spec#/definitions/')
  return o
}

export class OpenApiSpec {
  readonly doc: Json
  private readonly ajv: Ajv
  private readonly compiled = new Map<string, ValidateFunction>()
  private readonly strict: boolean

  /** `source`: a document under SPECS_DIR, or one already loaded. */
  constructor(source: string | Json, o: { unicodeRegExp?: boolean; strict?: boolean } = {}) {
    const text = typeof source === 'string' ? readFileSync(path.join(SPECS_DIR, source), 'utf8') : null
    this.doc = text === null ? (source as Json) : ((source as string).endsWith('.json') ? JSON.parse(text) : yaml.load(text)) as Json
    this.strict = o.strict ?? false
    // logger: false — a format name no one defined (some documents use their libraries' own) is not checked, and not printed.
    const strict = this.strict ? { strict: true, strictTypes: false, strictTuples: false, keywords: ['components'] } : { strict: false }
    this.ajv = new Ajv({ ...strict, allErrors: true, validateFormats: true, logger: false, unicodeRegExp: o.unicodeRegExp ?? true })
    addFormats.default(this.ajv)
    // Formats the platforms name that JSON Schema does not define: checked by the mocks themselves where they matter.
    for (const f of ['jws', 'int32', 'int64', 'binary', 'byte', 'double', 'float', 'decimal32']) this.ajv.addFormat(f, true)
    // App IO's own format names (@pagopa/ts-commons).
    this.ajv.addFormat('FiscalCode', /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/)
    this.ajv.addFormat('OrganizationFiscalCode', /^[0-9]{11}$/)
    this.ajv.addFormat('UTCISODateFromString', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
    this.ajv.addFormat('Ulid', /^[0-9A-HJKMNP-TV-Z]{26}$/)
    const components = (this.doc.components as Json | undefined)?.schemas ?? {}
    const definitions = (this.doc.definitions as Json | undefined) ?? {}
    this.ajv.addSchema({ $id: 'spec', components: { schemas: toJsonSchema(components, this.strict) }, definitions: toJsonSchema(definitions, this.strict) } as object)
    if (this.strict)
      for (const name of Object.keys({ ...(components as Json), ...definitions })) {
        try {
          this.validator(name)
        } catch (e) {
          throw new Error(`OpenApiSpec (strict): schema ${name} does not compile: ${e instanceof Error ? e.message : String(e)}`)
        }
      }
  }

  /** A validator for a component schema (`AccessTokenRequest`) or a JSON pointer into the document (a component, a parameter's schema). */
  validator(name: string): ValidateFunction {
    let v = this.compiled.get(name)
    if (!v) {
      const component = !name.startsWith('#/') || name.startsWith('#/components/schemas/') || name.startsWith('#/definitions/')
      const ref = name.startsWith('#/') ? `spec${name}` : 'components' in this.doc ? `spec#/components/schemas/${name}` : `spec#/definitions/${name}`
      v = component ? this.ajv.compile({ $ref: ref }) : this.ajv.compile(toJsonSchema(this.at(name), this.strict) as object)
      this.compiled.set(name, v)
    }
    return v
  }

  /** The document's value at a JSON pointer (`#/paths/~1x/get`). */
  private at(pointer: string): unknown {
    let node: unknown = this.doc
    for (const token of pointer.slice(2).split('/')) {
      const key = token.replace(/~1/g, '/').replace(/~0/g, '~')
      if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`OpenApiSpec: nothing at ${pointer}`)
      node = (node as Record<string, unknown>)[key]
    }
    return node
  }

  /** The problems of a value against a schema, as "path: message" lines (empty: valid). */
  problems(name: string, value: unknown): string[] {
    const v = this.validator(name)
    return v(value) ? [] : (v.errors ?? []).map((e) => `${name}${e.instancePath || ''}: ${e.message ?? 'invalid'}`)
  }
}
