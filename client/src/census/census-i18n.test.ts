import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import en from '../app/i18n/census.en.json'
import it_ from '../app/i18n/census.it.json'
import { EXPORT_FORMATS } from '../../../contracts/census-api'
import { GEOMETRY_TYPES } from '../../../contracts/schemas/census'
import { ApiTokenStatusSchema } from '../../../contracts/token-api'
import type { ProblemCode } from './form-model'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}
const EN = new Set(keys(en))
const has = (key: string) => EN.has(key) || EN.has(`${key}_one`)
const PROBLEMS: readonly ProblemCode[] = ['required', 'text', 'maxLength', 'number', 'integer', 'min', 'max', 'boolean', 'date', 'code', 'refId', 'identifier', 'invalid']

describe('census editor texts', () => {
  it('Italian and English have the same keys', () => {
    expect(keys(it_).sort()).toEqual([...EN].sort())
  })

  it('every key written in the code exists', () => {
    const dir = path.dirname(fileURLToPath(import.meta.url))
    const used = new Set<string>()
    for (const f of readdirSync(dir).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'))) {
      for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/t\(['`](census\.[A-Za-z0-9_.-]+)['`]/g)) used.add(m[1]!)
    }
    expect(used.size).toBeGreaterThan(150)
    expect([...used].filter((k) => !has(k))).toEqual([])
  })

  it('every value of the enumerations the code looks up has a text', () => {
    const families: Array<[string, readonly string[]]> = [
      ['census.geometry', GEOMETRY_TYPES],
      ['census.geometry.drawHint', GEOMETRY_TYPES],
      ['census.geometry.editHint', GEOMETRY_TYPES],
      ['census.export.format', EXPORT_FORMATS],
      ['census.export.hint', EXPORT_FORMATS],
      ['census.validation', PROBLEMS],
      ['census.tokens.state', ApiTokenStatusSchema.options],
      ['census.editor.tab', ['attributes', 'history']],
      ['census.import.errors', ['UPLOAD_REFUSED', 'IMPORT_REJECTED']],
      ['census.diff', ['deleted', 'restored']],
    ]
    const missing = families.flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`)).filter((k) => !has(k))
    expect(missing).toEqual([])
  })
})
