/**
 * A measure cell of a loaded dataset read as a number (docs/dashboards.md "Loading a dataset"). Files
 * from Italian offices write numbers the Italian way, so both conventions are read:
 *   - an empty cell (or only spaces) is no value — not zero: it counts in no sum, mean or count;
 *   - `1234`, `-12.5`, `1e3`: a plain number (one dot is the decimal point);
 *   - `12,5`, `1.234,5`, `1.234.567`: Italian — a comma is the decimal point, dots group thousands;
 *   - `1,234.5`, `1,234,567`: English thousands commas, when a dot follows them or they repeat;
 *   - thousands groups must be of three digits (`1.23,4` is not a number), a leading + or - is allowed.
 * `1.234` alone is one point two three four (a single dot is always the decimal point); write
 * `1234` or `1.234,0` for a thousand two hundred thirty-four.
 */

export type NumberCell = { kind: 'empty' } | { kind: 'number'; value: number } | { kind: 'invalid' }

const EMPTY: NumberCell = { kind: 'empty' }
const INVALID: NumberCell = { kind: 'invalid' }

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
/** Italian: dots group thousands (optional), a comma before the decimals (optional). */
const ITALIAN = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+,\d+$/
/** English: commas group thousands, a dot before the decimals (optional). */
const ENGLISH = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/

/** Reads a cell: a JSON number as is, a string by the rules above; anything else is invalid. */
export function readNumberCell(cell: unknown): NumberCell {
  if (cell === null || cell === undefined) return EMPTY
  if (typeof cell === 'number') return Number.isFinite(cell) ? { kind: 'number', value: cell } : INVALID
  if (typeof cell !== 'string') return INVALID
  const t = cell.trim()
  if (t === '') return EMPTY
  let normal: string | null = null
  if (PLAIN.test(t)) normal = t
  else if (ITALIAN.test(t)) normal = t.replace(/\./g, '').replace(',', '.')
  else if (ENGLISH.test(t) && (t.includes('.') || (t.match(/,/g)?.length ?? 0) > 1)) normal = t.replace(/,/g, '')
  if (normal === null) return INVALID
  const value = Number(normal)
  return Number.isFinite(value) ? { kind: 'number', value } : INVALID
}
