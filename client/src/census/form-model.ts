/**
 * The attribute form of a census feature, generated from its asset type (GET /api/census/model):
 * one field per attribute with its kind, code list, unit, relation and whether it is internal. The
 * form holds text (what the person typed); the contract's own checker (contracts/schemas/census.ts
 * checkProperties, which the server runs too) decides what is valid, and each problem it finds is
 * named here by kind so the page can say it in the UI language. Pure: no React, no fetch.
 */
import type { CensusModel } from '../../../contracts/census-api'
import { VERSION_PROPERTY, checkProperties, type AssetType, type AttributeDef, type PropertyValue } from '../../../contracts/schemas/census'

export type ModelType = CensusModel['types'][number]
export type Lang = 'en' | 'it'
/** What the form holds: text per attribute ('' = no value; booleans 'true' / 'false'). */
export type FormValues = Readonly<Record<string, string>>

/** The asset type the contract's checker takes, from the model the server sent. */
export function assetTypeOf(m: ModelType): AssetType {
  return { id: m.id, title: m.title, description: m.description, geometryType: m.geometryType, editMode: m.editMode, fiware: null, seededFrom: null, attributes: m.attributes }
}

export type ProblemCode = 'required' | 'text' | 'maxLength' | 'number' | 'integer' | 'min' | 'max' | 'boolean' | 'date' | 'code' | 'refId' | 'identifier' | 'invalid'

export interface FieldProblem {
  code: ProblemCode
  /** For the message: the limit, the unit, the collections of a relation. */
  params: Record<string, string | number>
  /** The checker's own words (English), shown when the code is 'invalid'. */
  message: string
}

const isNumberKind = (a: AttributeDef) => a.kind === 'integer' || a.kind === 'number'

/** The form's text of a stored value; decimal numbers with the UI language's separator. */
export function textOf(a: AttributeDef, v: PropertyValue | undefined, lang: Lang): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') return lang === 'it' && a.kind === 'number' ? String(v).replace('.', ',') : String(v)
  return v
}

/** The form values of a feature's properties (`_version` and unknown keys left out). */
export function valuesOf(type: AssetType, props: Readonly<Record<string, PropertyValue>>, lang: Lang): FormValues {
  const out: Record<string, string> = {}
  for (const a of type.attributes) out[a.name] = textOf(a, props[a.name], lang)
  return out
}

/** What the checker gets: trimmed text, '' is no value (null), a decimal comma is a point, booleans are booleans. */
export function rawOf(type: AssetType, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const a of type.attributes) {
    const text = (values[a.name] ?? '').trim()
    if (text === '') out[a.name] = null
    else if (isNumberKind(a)) out[a.name] = text.replace(',', '.')
    else if (a.kind === 'boolean') out[a.name] = text === 'true' ? true : text === 'false' ? false : text
    else out[a.name] = text
  }
  return out
}

/** Names the kind of a problem the checker found with an attribute's value. */
export function classify(a: AttributeDef, raw: unknown, message: string): FieldProblem {
  const p = (code: ProblemCode, params: Record<string, string | number> = {}): FieldProblem => ({ code, params, message })
  if (raw === null || raw === undefined || raw === '') return p(a.required ? 'required' : 'invalid')
  switch (a.kind) {
    case 'string':
      return typeof raw === 'string' && a.maxLength !== undefined && raw.length > a.maxLength ? p('maxLength', { max: a.maxLength, length: raw.length }) : p('text')
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN
      if (!Number.isFinite(n)) return p('number')
      if (a.kind === 'integer' && !Number.isInteger(n)) return p('integer')
      if (a.min !== undefined && n < a.min) return p('min', { min: a.min, unit: a.unit ?? '' })
      if (a.max !== undefined && n > a.max) return p('max', { max: a.max, unit: a.unit ?? '' })
      return p('invalid')
    }
    case 'boolean':
      return p('boolean')
    case 'date':
      return p('date')
    case 'code':
      return p('code')
    case 'ref':
      return a.ref?.kind === 'feature' ? p('refId', { collections: a.ref.collections.join(', ') }) : p('identifier', { max: a.maxLength ?? 120 })
  }
}

export type Checked = { ok: true; properties: Record<string, PropertyValue> } | { ok: false; problems: Record<string, FieldProblem> }

/**
 * The form checked with the contract's checker, as the server will: every attribute (an empty one is
 * null), required ones required. The clean values come back normalised (numbers, booleans, ids).
 */
export function checkValues(type: AssetType, values: FormValues): Checked {
  const raw = rawOf(type, values)
  const r = checkProperties(type, raw, { partial: false })
  if (r.ok) {
    const properties: Record<string, PropertyValue> = {}
    for (const a of type.attributes) properties[a.name] = r.values[a.name] ?? null
    return { ok: true, properties }
  }
  const byName = new Map(type.attributes.map((a) => [a.name, a]))
  const problems: Record<string, FieldProblem> = {}
  for (const problem of r.problems) {
    const name = problem.path.replace(/^properties\./, '')
    const a = byName.get(name)
    problems[name] = a ? classify(a, raw[name], problem.message) : { code: 'invalid', params: {}, message: problem.message }
  }
  return { ok: false, problems }
}

/** The stored values of a feature, one per attribute (absent = null), without `_version`. */
export function storedOf(type: AssetType, props: Readonly<Record<string, PropertyValue>>): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {}
  for (const a of type.attributes) out[a.name] = props[a.name] ?? null
  return out
}

/** The JSON merge patch from stored values to new ones: what changed (null clears). Empty when nothing did. */
export function changedProperties(before: Readonly<Record<string, PropertyValue>>, after: Readonly<Record<string, PropertyValue>>): Record<string, PropertyValue> {
  const patch: Record<string, PropertyValue> = {}
  for (const [name, v] of Object.entries(after)) if ((before[name] ?? null) !== v) patch[name] = v
  return patch
}

/** The properties a new feature is created with: only those with a value. */
export function creationProperties(properties: Readonly<Record<string, PropertyValue>>): Record<string, PropertyValue> {
  return Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null))
}

/** INVALID_FEATURE details on their fields (`properties.<name>`); the rest is for the form's own line. */
export function detailsOnFields(type: AssetType, details: ReadonlyArray<{ path: string; message: string }>): { fields: Record<string, string>; other: string[] } {
  const names = new Set(type.attributes.map((a) => a.name))
  const fields: Record<string, string> = {}
  const other: string[] = []
  for (const d of details) {
    const name = d.path.replace(/^(body\.)?properties\./, '')
    if (name !== d.path && names.has(name)) fields[name] = fields[name] ? `${fields[name]} ${d.message}` : d.message
    else other.push(d.message)
  }
  return { fields, other }
}

/** The version a feature's properties say it is at. */
export function versionOf(props: Readonly<Record<string, PropertyValue>>): number | null {
  const v = props[VERSION_PROPERTY]
  return typeof v === 'number' ? v : null
}
