/**
 * Census features as CSV (RFC 4180: `,` separated, `"` quoted, CRLF, UTF-8 without BOM): a `wkt`
 * column with the lon/lat geometry, the feature `id` when there is one and no `id` property, then
 * every property seen, in first-seen order. Objects and arrays are written as JSON. A text cell that
 * a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start; OWASP "CSV injection") is
 * written with a leading apostrophe; numbers are never changed. The CSV reader reads it back.
 */
import { ApiError } from '../../http/api-error'
import type { ExportFeatureCollection } from './uploaded-features'
import { toWkt } from './wkt'

const GEOMETRY_COLUMN = 'wkt'

export function featuresToCsv(fc: ExportFeatureCollection): string {
  const keys = propertyKeys(fc)
  const clash = keys.find((k) => k.toLowerCase() === GEOMETRY_COLUMN)
  if (clash !== undefined) throw new ApiError('VALIDATION_FAILED', `A property is named "${clash}", the name of the CSV's geometry column; rename it before exporting as CSV.`)
  const withId = !keys.includes('id') && fc.features.some((f) => f.id !== undefined)
  const header = [GEOMETRY_COLUMN, ...(withId ? ['id'] : []), ...keys]
  const lines = [header.map(csvCell).join(',')]
  for (const f of fc.features) {
    const props = f.properties ?? {}
    const row = [f.geometry ? toWkt(f.geometry) : null, ...(withId ? [f.id ?? null] : []), ...keys.map((k) => props[k])]
    lines.push(row.map(csvCell).join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}

function propertyKeys(fc: ExportFeatureCollection): string[] {
  const keys = new Set<string>()
  for (const f of fc.features) for (const k of Object.keys(f.properties ?? {})) keys.add(k)
  return [...keys]
}

/** One RFC 4180 cell, with the CSV-injection guard (a leading apostrophe before =, +, -, @, tab, CR). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text: string
  if (typeof value === 'string') text = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value)
  else text = JSON.stringify(value)
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
