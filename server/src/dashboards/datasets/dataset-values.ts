/**
 * A loaded dataset's definition checked against its file, and each row's figures read out of it
 * (docs/dashboards.md "Loading a dataset"): the measures' numbers, the category, the area cell. All or
 * nothing — the first problem refuses the load (DASHBOARD_DATA_INVALID) naming the columns or rows:
 *   - a column the definition names (measure, category, area, lon/lat) that the file does not have:
 *     the message lists the file's columns;
 *   - a category or area column on the personal-data deny list (contracts/opendata-api.ts), or a category
 *     value that looks like an e-mail address or a fiscal code (server/src/opendata/privacy-guard.ts):
 *     a category is printed on a public page;
 *   - a sum or mean cell that is not a number (./number-cell.ts): the first rows are named;
 *   - more than MAX_CATEGORIES distinct categories: a chart of more is unreadable.
 * Measure ids are unique, and `rows` is reserved (the dashboard's own count of rows).
 */
import { isDeniedColumn } from '../../../../contracts/opendata-api'
import type { DatasetLoad } from '../../../../contracts/theme-dashboard-api'
import { privacyRefusal } from '../../opendata/privacy-guard'
import { dataInvalid, quoteCell, type DatasetFile } from './dataset-file'
import { readNumberCell } from './number-cell'

export const MAX_CATEGORIES = 40
/** The measure every dataset dashboard has: its rows, counted. */
export const ROWS_MEASURE = 'rows'
/** Rows named in a refusal for non-numbers. */
const EXAMPLES = 5

export interface DatasetValues {
  /** Per measure (in definition order), per row: the value, NaN for no value (an empty cell; for count measures 1 or NaN). */
  measures: Float64Array[]
  /** Per row: its category ('' without a category column, or for an empty cell). */
  categories: string[]
  /** The distinct categories, in order of first appearance. */
  categoryKeys: string[]
}

const textOf = (cell: unknown): string => (cell === null || cell === undefined ? '' : typeof cell === 'string' ? cell.trim() : typeof cell === 'object' ? JSON.stringify(cell) : String(cell))
const isEmpty = (cell: unknown) => textOf(cell) === ''

/** Refuses a definition the file cannot answer (columns missing, personal columns, reserved ids). */
export function checkDefinition(load: DatasetLoad, file: DatasetFile): void {
  const ids = load.measures.map((m) => m.id)
  if (ids.includes(ROWS_MEASURE)) throw dataInvalid(`The measure id "${ROWS_MEASURE}" is reserved: every dataset dashboard counts its rows under it. Rename the measure.`)
  const twice = ids.find((id, i) => ids.indexOf(id) !== i)
  if (twice !== undefined) throw dataInvalid(`Two measures have the id "${twice}"; each measure needs its own id.`)
  for (const m of load.measures) {
    if (m.agg !== 'count' && m.column === undefined) throw dataInvalid(`The measure "${m.id}" (${m.agg}) names no column: a ${m.agg} is taken over a numeric column.`)
  }

  const wanted: Array<{ role: string; column: string }> = []
  for (const m of load.measures) if (m.column !== undefined) wanted.push({ role: `measure "${m.id}"`, column: m.column })
  if (load.categoryColumn !== null) wanted.push({ role: 'categoryColumn', column: load.categoryColumn })
  if (load.area.by === 'column') wanted.push({ role: 'area.column', column: load.area.column })
  else if (load.format === 'csv') {
    if (load.area.lonColumn === undefined || load.area.latColumn === undefined) throw dataInvalid('A CSV placed by point needs area.lonColumn and area.latColumn: the columns of longitude and latitude (WGS 84 degrees).')
    wanted.push({ role: 'area.lonColumn', column: load.area.lonColumn }, { role: 'area.latColumn', column: load.area.latColumn })
  } else if (load.area.lonColumn !== undefined || load.area.latColumn !== undefined) {
    throw dataInvalid('A GeoJSON is placed by its features\' geometry: remove area.lonColumn and area.latColumn (they are for CSV files).')
  }
  const has = new Set(file.columns)
  const missing = wanted.filter((w) => !has.has(w.column))
  if (missing.length > 0) {
    throw dataInvalid(`The file has no column ${missing.map((w) => `"${w.column}" (${w.role})`).join(', ')}. Its columns are: ${file.columns.map((c) => `"${c}"`).join(', ') || 'none'}. Names are matched exactly, case included.`)
  }
  for (const [role, column] of [['categoryColumn', load.categoryColumn], ['area.column', load.area.by === 'column' ? load.area.column : null]] as const) {
    if (column !== null && isDeniedColumn(column)) {
      throw dataInvalid(`The ${role} "${column}" is on the personal-data deny list (docs/opendata.md): its values would be shown on a public dashboard. Aggregate by another column.`)
    }
  }
}

/** The rows' measure values and categories; refuses non-numbers in sum/mean columns and too many or personal categories. */
export function readValues(load: DatasetLoad, file: DatasetFile): DatasetValues {
  const n = file.rows.length
  const measures = load.measures.map((m) => {
    const values = new Float64Array(n)
    const bad: string[] = []
    let badCount = 0
    file.rows.forEach((r, i) => {
      if (m.agg === 'count') {
        values[i] = m.column === undefined || !isEmpty(r.cells[m.column]) ? 1 : NaN
        return
      }
      const cell = r.cells[m.column!]
      const v = readNumberCell(cell)
      if (v.kind === 'number') values[i] = v.value
      else {
        values[i] = NaN
        if (v.kind === 'invalid' && badCount++ < EXAMPLES) bad.push(`${r.where}: ${quoteCell(cell)}`)
      }
    })
    if (badCount > 0) {
      throw dataInvalid(
        `The column "${m.column}" (measure "${m.id}", ${m.agg}) has ${badCount} cell${badCount === 1 ? '' : 's'} that ${badCount === 1 ? 'is' : 'are'} not a number — ${bad.join('; ')}${badCount > EXAMPLES ? '; …' : ''}. Numbers are written 1234, 1234.5, 12,5 or 1.234,5; leave a cell empty when there is no value.`,
      )
    }
    return values
  })

  const column = load.categoryColumn
  const categories = column === null ? new Array<string>(n).fill('') : file.rows.map((r) => textOf(r.cells[column]))
  const categoryKeys = [...new Set(categories)]
  if (categoryKeys.length > MAX_CATEGORIES) {
    throw dataInvalid(`The category column "${column}" has ${categoryKeys.length} different values; at most ${MAX_CATEGORIES} make a readable chart. Group them in fewer categories (a column of your own) or load the dataset without categoryColumn.`)
  }
  if (column !== null) {
    const def = { id: load.id, columns: [{ name: column, type: 'string' as const, description: { it: column, en: column }, unit: null }] }
    // Each distinct value once, at the row it first appears on (so the refusal names that row).
    const first = new Map<string, number>()
    categories.forEach((c, i) => first.has(c) || first.set(c, i))
    const refusal = privacyRefusal(def, categories.map((c, i) => ({ properties: first.get(c) === i ? { [column]: c } : {}, geometry: null })))
    if (refusal !== null) throw dataInvalid(`${refusal} Categories are shown on a public dashboard: remove personal data from the file. (For a GeoJSON, row n is feature n.)`)
  }
  return { measures, categories, categoryKeys }
}
