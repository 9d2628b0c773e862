/**
 * The national platforms' OpenAPI documents (../shared/specs) as request and response validators for
 * the loopback mock servers of the tests: the document is read as published (YAML or JSON), its OpenAPI
 * 3.0 schemas turned into JSON Schema (nullable, boolean exclusiveMinimum/Maximum, example) and
 * compiled with Ajv, every component schema reachable by $ref. A mock records each violation; a test
 * asserts there were none.
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
export function toJsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toJsonSchema)
  if (s === null || typeof s !== 'object') return s
  const o: Json = {}
  for (const [k, v] of Object.entries(s as Json)) {
    if (k === 'example' || k === 'examples' || k === 'xml' || k === 'externalDocs' || k.startsWith('x-')) continue
    o[k] = k === 'properties' || k === 'patternProperties' ? Object.fromEntries(Object.entries(v as Json).map(([p, x]) => [p, toJsonSchema(x)])) : toJsonSchema(v)
  }
  if (o.exclusiveMaximum === true && typeof o.maximum === 'number') {
    o.exclusiveMaximum = o.maximum
    delete o.maximum
  } else if (typeof o.exclusiveMaximum === 'boolean') delete o.exclusiveMaximum
  if (o.exclusiveMinimum === true && typeof o.minimum === 'number') {
    o.exclusiveMinimum = o.minimum
    delete o.minimum
  } else if (typeof o.exclusiveMinimum === 'boolean') delete o.exclusiveMinimum
  if (o.nullable === true) {
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

  constructor(rel: string) {
    const text = readFileSync(path.join(SPECS_DIR, rel), 'utf8')
    this.doc = (rel.endsWith('.json') ? JSON.parse(text) : yaml.load(text)) as Json
    // logger: false — a format name no one defined (some documents use their libraries' own) is not checked, and not printed.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false })
    addFormats.default(this.ajv)
    // Formats the platforms name that JSON Schema does not define: checked by the mocks themselves where they matter.
    for (const f of ['jws', 'int32', 'int64', 'binary', 'byte', 'double', 'float']) this.ajv.addFormat(f, true)
    // App IO's own format names (@pagopa/ts-commons).
    this.ajv.addFormat('FiscalCode', /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/)
    this.ajv.addFormat('OrganizationFiscalCode', /^[0-9]{11}$/)
    this.ajv.addFormat('UTCISODateFromString', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
    this.ajv.addFormat('Ulid', /^[0-9A-HJKMNP-TV-Z]{26}$/)
    const components = (this.doc.components as Json | undefined)?.schemas ?? {}
    const definitions = (this.doc.definitions as Json | undefined) ?? {}
    this.ajv.addSchema({ $id: 'spec', components: { schemas: toJsonSchema(components) }, definitions: toJsonSchema(definitions) } as object)
  }

  /** A validator for a component schema (`AccessTokenRequest`) or a JSON pointer into the document. */
  validator(name: string): ValidateFunction {
    let v = this.compiled.get(name)
    if (!v) {
      const ref = name.startsWith('#/') ? `spec${name}` : 'components' in this.doc ? `spec#/components/schemas/${name}` : `spec#/definitions/${name}`
      v = this.ajv.compile({ $ref: ref })
      this.compiled.set(name, v)
    }
    return v
  }

  /** The problems of a value against a schema, as "path: message" lines (empty: valid). */
  problems(name: string, value: unknown): string[] {
    const v = this.validator(name)
    return v(value) ? [] : (v.errors ?? []).map((e) => `${name}${e.instancePath || ''}: ${e.message ?? 'invalid'}`)
  }
}
